"""The demo customers: consumers around Boston and three business accounts with their
contacts, addresses, tokenised payment methods, preferences and the notes CSRs left; and the
carts some of them have open right now.

Cards are provider tokens with a brand, the last four digits and an expiry a couple of years
out (relative to today, so the demo never ages into expired cards).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from customers.model import ContactRole, CustomerKind, PaymentKind
from customers.schemas import (
    AddCartItem,
    AddressIn,
    AddressModel,
    CartOwnerIn,
    CompanyIn,
    ContactIn,
    CustomerNoteIn,
    CustomerQuery,
    PaymentMethodIn,
    PreferencesModel,
    RegisterCustomer,
)
from orders.demo.base import Seeding
from orders.demo.catalog import variant_id


@dataclass(frozen=True, slots=True)
class Card:
    brand: str
    last4: str
    exp_month: int
    years_left: int
    kind: PaymentKind = PaymentKind.CARD


@dataclass(frozen=True, slots=True)
class Person:
    handle: str
    first_name: str
    last_name: str
    email: str
    phone: str
    line1: str
    city: str
    postal_code: str
    cards: tuple[Card, ...]
    preferences: PreferencesModel = field(default_factory=PreferencesModel)
    # (author username, text)
    notes: tuple[tuple[str, str], ...] = ()
    kind: CustomerKind = CustomerKind.CONSUMER
    company: CompanyIn | None = None
    contacts: tuple[ContactIn, ...] = ()
    # Extra addresses: (label, name, company, line1, city, postal code)
    more_addresses: tuple[tuple[str, str, str, str, str, str], ...] = field(default=())

    def address(self, name: str | None = None) -> AddressModel:
        return AddressModel(
            name=name or f"{self.first_name} {self.last_name}",
            company=self.company.name if self.company else "",
            line1=self.line1,
            city=self.city,
            region="MA",
            postal_code=self.postal_code,
            phone=self.phone,
        )


VISA, MC, AMEX, DISCOVER = "visa", "mastercard", "amex", "discover"

PEOPLE: tuple[Person, ...] = (
    Person("alicia", "Alicia", "Moreno", "alicia.moreno@example.com", "617-555-0101",
           "12 Elm St", "Cambridge", "02139", (Card(VISA, "4242", 8, 2), Card(AMEX, "1005", 3, 3)),
           PreferencesModel(sms_updates=True, preferred_channel="sms"),
           (("alex", "Prefers a text when an order ships; works nights, calls after 2pm."),)),
    Person("marcus", "Marcus", "Chen", "marcus.chen@example.com", "617-555-0102",
           "48 Highland Ave", "Somerville", "02143", (Card(MC, "5454", 11, 2),),
           PreferencesModel(marketing_email=True),
           (("sam", "Received a damaged sweater in the summer; appeased, very gracious."),)),
    Person("priya", "Priya", "Raman", "priya.raman@example.com", "617-555-0103",
           "220 Harvard St", "Brookline", "02446", (Card(VISA, "1881", 5, 3),),
           PreferencesModel(preferred_channel="phone", order_confirmation_email=False)),
    Person("elena", "Elena", "Sousa", "elena.sousa@example.com", "617-555-0104",
           "9 Coddington St", "Quincy", "02169", (Card(DISCOVER, "6011", 2, 2),),
           PreferencesModel(language="pt"),
           (("jo", "Speaks Portuguese at home; happy in English on chat."),)),
    Person("tom", "Tom", "O'Brien", "tom.obrien@example.com", "617-555-0105",
           "311 E Broadway", "South Boston", "02127", (Card(VISA, "0077", 12, 1),)),
    Person("grace", "Grace", "Kim", "grace.kim@example.com", "617-555-0106",
           "75 Commonwealth Ave", "Boston", "02116", (Card(AMEX, "3782", 6, 2),),
           PreferencesModel(shipping_updates_email=True, sms_updates=True)),
    Person("hannah", "Hannah", "Goldberg", "hannah.goldberg@example.com", "617-555-0107",
           "18 Walnut St", "Newton", "02458", (Card(VISA, "4111", 9, 2), Card(MC, "2223", 4, 4)),
           notes=(("lee", "VIP: three furniture orders. Offer white-glove slots first."),)),
    Person("harborview", "Rachel", "Adams", "purchasing@harborviewhotels.example.com",
           "617-555-0200", "1 Harbor Way", "Boston", "02210",
           (Card("other", "0000", 1, 0, PaymentKind.ON_ACCOUNT), Card(AMEX, "3005", 10, 3)),
           PreferencesModel(preferred_channel="email"),
           (("jo", "Net 30 on account. Quotes go to Rachel; invoices to accounts payable."),
            ("lee", "Renovating 40 rooms in the spring: expect bedding and lamp orders.")),
           CustomerKind.BUSINESS,
           CompanyIn(name="Harborview Hotel Group", tax_id="04-3567812", industry="hospitality",
                     payment_terms="NET30"),
           (ContactIn(name="Rachel Adams", email="rachel.adams@harborviewhotels.example.com",
                      phone="617-555-0201", role=ContactRole.PURCHASE_MANAGER, is_primary=True),
            ContactIn(name="Victor Hale", email="ap@harborviewhotels.example.com",
                      phone="617-555-0202", role=ContactRole.ACCOUNTS_PAYABLE),
            ContactIn(name="Luis Ortega", email="receiving@harborviewhotels.example.com",
                      phone="617-555-0203", role=ContactRole.RECEIVING)),
           (("Seaport hotel", "Receiving dock", "Harborview Seaport", "200 Seaport Blvd",
             "Boston", "02210"),)),
    Person("dental", "Nina", "Patel", "office@beaconstreetdental.example.com", "617-555-0300",
           "1180 Beacon St", "Brookline", "02446", (Card(VISA, "9010", 7, 2),),
           notes=(("sam", "Small practice; Nina is the owner and orders herself."),),
           kind=CustomerKind.BUSINESS,
           company=CompanyIn(name="Beacon Street Dental", tax_id="27-1049933",
                             industry="healthcare"),
           contacts=(ContactIn(name="Nina Patel", email="nina@beaconstreetdental.example.com",
                               role=ContactRole.OWNER, is_primary=True),
                     ContactIn(name="Omar Reyes", email="omar@beaconstreetdental.example.com",
                               phone="617-555-0301", role=ContactRole.BUYER))),
    Person("schools", "Daniel", "Brooks", "procurement@riversideschools.example.org",
           "781-555-0400", "40 Main St", "Waltham", "02451",
           (Card("other", "0000", 1, 0, PaymentKind.ON_ACCOUNT),),
           notes=(("jo", "Tax exempt: certificate on file, valid through June."),),
           kind=CustomerKind.BUSINESS,
           company=CompanyIn(name="Riverside Public Schools", tax_id="04-6001234",
                             industry="education", tax_exempt=True,
                             exemption_certificate="MA-ST5-88231", payment_terms="NET45"),
           contacts=(ContactIn(name="Daniel Brooks", email="dbrooks@riversideschools.example.org",
                               role=ContactRole.PURCHASE_MANAGER, is_primary=True),
                     ContactIn(name="Carla Nguyen", email="ap@riversideschools.example.org",
                               phone="781-555-0401", role=ContactRole.ACCOUNTS_PAYABLE))),
)  # fmt: skip

# Open carts right now: customer handle -> (SKU, quantity).
CARTS: dict[str, tuple[tuple[str, int], ...]] = {
    "alicia": (("JKT-M-NAVY", 1), ("BNE-CREAM", 2)),
    "marcus": (("RUN-10-BLACK", 1),),
    "harborview": (("SHT-QUEEN-WHITE", 12), ("LMP-BRASS", 6)),
}


def card_token(holder: str, last4: str, n: int = 0) -> str:
    """The payment provider's reference for a demo card (never a card number)."""
    return f"tok_demo_{holder}_{last4}_{n}"


def _register(person: Person, year: int) -> RegisterCustomer:
    addresses = [
        AddressIn(
            address=person.address(person.company.name if person.company else None),
            label="office" if person.company else "home",
            default_shipping=True,
            default_billing=True,
        )
    ]
    for label, name, company, line1, city, postal in person.more_addresses:
        addresses.append(
            AddressIn(
                label=label,
                address=AddressModel(
                    name=name,
                    company=company,
                    line1=line1,
                    city=city,
                    region="MA",
                    postal_code=postal,
                    phone=person.phone,
                ),
            )
        )
    cards = [
        PaymentMethodIn(
            kind=card.kind,
            token=card_token(person.handle, card.last4, n),
            brand=card.brand,
            last4=card.last4,
            exp_month=card.exp_month if card.kind is PaymentKind.CARD else None,
            exp_year=year + card.years_left if card.kind is PaymentKind.CARD else None,
            holder_name=f"{person.first_name} {person.last_name}",
            is_default=n == 0,
        )
        for n, card in enumerate(person.cards)
    ]
    return RegisterCustomer(
        kind=person.kind,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phone=person.phone,
        company=person.company,
        contacts=list(person.contacts),
        addresses=addresses,
        payment_methods=cards,
        preferences=person.preferences,
    )


async def load_customers(seeding: Seeding) -> None:
    """Register each demo customer not registered yet (found by e-mail), with their notes."""
    shop, clock, staff = seeding.shop, seeding.clock, seeding.staff
    for n, person in enumerate(PEOPLE):
        found = await shop.list_customers(CustomerQuery(q=person.email, limit=5))
        match = next((c for c in found if c.email == person.email), None)
        if match is not None:
            seeding.customers[person.handle] = match.id
            continue
        clock.travel(days_ago=400 - 30 * n, hour=11)
        view = await shop.register_customer(_register(person, clock.real_now().year))
        seeding.customers[person.handle] = view.id
        for author, text in person.notes:
            clock.later(days=20)
            await shop.add_customer_note(getattr(staff, author), view.id, CustomerNoteIn(text=text))


async def load_carts(seeding: Seeding) -> None:
    """Fill the open carts that are empty (a shopper may have changed one since: leave it)."""
    shop = seeding.shop
    seeding.clock.travel(days_ago=0)
    for handle, items in CARTS.items():
        cart = await shop.get_or_create_cart(CartOwnerIn(customer_id=seeding.customer(handle)))
        if cart.lines:
            continue
        for sku, quantity in items:
            await shop.add_cart_item(
                cart.id, AddCartItem(variant_id=variant_id(sku), quantity=quantity)
            )
