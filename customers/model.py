"""Customer profiles: consumers and business accounts with contacts, addresses, tokenised
payment methods, communication preferences and notes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from customers.cards import check_card_fields, refuse_pan
from customers.errors import InvalidInput, NotFound
from customers.kernel import Address, new_id


class CustomerKind(StrEnum):
    CONSUMER = "consumer"
    BUSINESS = "business"


class ContactRole(StrEnum):
    PURCHASE_MANAGER = "purchase_manager"
    ACCOUNTS_PAYABLE = "accounts_payable"
    OWNER = "owner"
    BUYER = "buyer"
    RECEIVING = "receiving"
    OTHER = "other"


class PaymentKind(StrEnum):
    CARD = "card"
    PAYPAL = "paypal"
    GIFT_CARD = "gift_card"
    # Business accounts buying on terms: invoiced, paid later.
    ON_ACCOUNT = "on_account"


@dataclass(slots=True)
class Company:
    name: str
    tax_id: str = ""
    industry: str = ""
    tax_exempt: bool = False
    exemption_certificate: str = ""
    payment_terms: str = ""


@dataclass(slots=True)
class Contact:
    id: str
    name: str
    email: str = ""
    phone: str = ""
    role: ContactRole = ContactRole.OTHER
    is_primary: bool = False


@dataclass(slots=True)
class CustomerAddress:
    id: str
    address: Address
    label: str = ""
    default_shipping: bool = False
    default_billing: bool = False


@dataclass(slots=True)
class PaymentMethod:
    id: str
    kind: PaymentKind
    token: str
    brand: str
    last4: str
    exp_month: int | None = None
    exp_year: int | None = None
    holder_name: str = ""
    is_default: bool = False

    def label(self) -> str:
        expiry = f" exp {self.exp_month:02d}/{self.exp_year}" if self.exp_month else ""
        return f"{self.brand} ending {self.last4}{expiry}"


@dataclass(slots=True)
class Preferences:
    order_confirmation_email: bool = True
    shipping_updates_email: bool = True
    marketing_email: bool = False
    sms_updates: bool = False
    # email | phone | sms: how the customer likes to be contacted by care.
    preferred_channel: str = "email"
    language: str = "en"


@dataclass(slots=True)
class CustomerNote:
    id: str
    text: str
    author_id: str
    author_name: str
    created_at: datetime


@dataclass
class Customer:
    id: str
    kind: CustomerKind
    first_name: str
    last_name: str
    email: str
    created_at: datetime
    updated_at: datetime
    phone: str = ""
    company: Company | None = None
    contacts: list[Contact] = field(default_factory=list)
    addresses: list[CustomerAddress] = field(default_factory=list)
    payment_methods: list[PaymentMethod] = field(default_factory=list)
    preferences: Preferences = field(default_factory=Preferences)
    notes: list[CustomerNote] = field(default_factory=list)
    version: int = 1
    # The version this object was read at: the compare-and-set guard when it is written back.
    loaded_version: int = 0

    @property
    def display_name(self) -> str:
        if self.kind is CustomerKind.BUSINESS and self.company is not None:
            return self.company.name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def tax_exempt(self) -> bool:
        return bool(self.company and self.company.tax_exempt)

    def check_valid(self) -> None:
        if self.kind is CustomerKind.BUSINESS:
            if self.company is None or not self.company.name.strip():
                raise InvalidInput(
                    "A business customer needs a company name.", code="company_required"
                )
            if not self.contacts:
                raise InvalidInput(
                    "A business customer needs at least one contact.", code="contact_required"
                )
            if self.company.tax_exempt and not self.company.exemption_certificate.strip():
                raise InvalidInput(
                    "A tax-exempt company needs its exemption certificate number.",
                    code="exemption_certificate_required",
                )
        if len([c for c in self.contacts if c.is_primary]) > 1:
            raise InvalidInput("Only one contact can be the primary one.", code="invalid_contact")

    # --- addresses ------------------------------------------------------------------------

    def add_address(
        self,
        address: Address,
        *,
        label: str = "",
        default_shipping: bool = False,
        default_billing: bool = False,
    ) -> CustomerAddress:
        first = not self.addresses
        entry = CustomerAddress(
            id=new_id("adr"),
            address=address,
            label=label,
            default_shipping=default_shipping or first,
            default_billing=default_billing or first,
        )
        if entry.default_shipping:
            for other in self.addresses:
                other.default_shipping = False
        if entry.default_billing:
            for other in self.addresses:
                other.default_billing = False
        self.addresses.append(entry)
        return entry

    def remove_address(self, address_id: str) -> None:
        entry = self.address(address_id)
        self.addresses.remove(entry)
        if entry.default_shipping and self.addresses:
            self.addresses[0].default_shipping = True
        if entry.default_billing and self.addresses:
            self.addresses[0].default_billing = True

    def address(self, address_id: str) -> CustomerAddress:
        for entry in self.addresses:
            if entry.id == address_id:
                return entry
        raise NotFound("address", address_id)

    def default_shipping_address(self) -> Address | None:
        return next((a.address for a in self.addresses if a.default_shipping), None)

    def default_billing_address(self) -> Address | None:
        return next((a.address for a in self.addresses if a.default_billing), None)

    # --- contacts -------------------------------------------------------------------------

    def add_contact(
        self, name: str, *, email: str, phone: str, role: ContactRole, is_primary: bool
    ) -> Contact:
        contact = Contact(
            id=new_id("con"),
            name=name,
            email=email,
            phone=phone,
            role=role,
            is_primary=is_primary or not self.contacts,
        )
        if contact.is_primary:
            for other in self.contacts:
                other.is_primary = False
        self.contacts.append(contact)
        return contact

    # --- payment methods ------------------------------------------------------------------

    def add_payment_method(self, method: PaymentMethod, *, today: date) -> PaymentMethod:
        refuse_pan("holder_name", method.holder_name)
        if method.kind is PaymentKind.ON_ACCOUNT:
            if self.kind is not CustomerKind.BUSINESS:
                raise InvalidInput(
                    "Only business customers can buy on account.", code="invalid_payment"
                )
            refuse_pan("token", method.token)
        else:
            check_card_fields(
                token=method.token,
                brand=method.brand,
                last4=method.last4,
                exp_month=method.exp_month,
                exp_year=method.exp_year,
                today=today,
            )
        if method.is_default or not self.payment_methods:
            method = replace(method, is_default=True)
            for other in self.payment_methods:
                other.is_default = False
        self.payment_methods.append(method)
        return method

    def remove_payment_method(self, method_id: str) -> None:
        method = self.payment_method(method_id)
        self.payment_methods.remove(method)
        if method.is_default and self.payment_methods:
            self.payment_methods[0].is_default = True

    def payment_method(self, method_id: str) -> PaymentMethod:
        for method in self.payment_methods:
            if method.id == method_id:
                return method
        raise NotFound("payment method", method_id)

    # --- notes ----------------------------------------------------------------------------

    def add_note(
        self, text: str, *, author_id: str, author_name: str, at: datetime
    ) -> CustomerNote:
        refuse_pan("text", text)
        if not text.strip():
            raise InvalidInput("A note needs some text.", code="invalid_note")
        note = CustomerNote(
            id=new_id("cnt"), text=text, author_id=author_id, author_name=author_name, created_at=at
        )
        self.notes.append(note)
        return note
