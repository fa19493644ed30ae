"""A small shop to test against, built through the use cases themselves, so the same world
stands on the in-memory fakes (unit tests) and on SQLite/PostgreSQL (integration tests)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from customers.kernel import Actor, Role
from customers.model import ContactRole, CustomerKind
from customers.schemas import (
    AddressIn,
    AddressModel,
    CompanyIn,
    ContactIn,
    PaymentMethodIn,
    RegisterCustomer,
)
from orders.catalog.model import LocationKind, PromotionKind
from orders.catalog.schemas import NewLocation, NewProduct, NewPromotion, NewVariant, SetStock
from orders.local import LocalCommerce
from orders.local.base import UowFactory
from orders.schemas.commands import (
    ConfirmOrder,
    CreateDraft,
    CreateShipment,
    DispatchShipment,
    NewLineIn,
    ReleaseOrder,
    ScheduleOrder,
    TrackingEvent,
)
from orders.schemas.views import OrderView
from tests.unit.customers.fakes import FakeClock

AGENT = Actor("agent-1", "Alex Rivera", Role.AGENT)
AGENT_2 = Actor("agent-2", "Sam Okafor", Role.AGENT)
LEAD = Actor("lead-1", "Lee Park", Role.LEAD)
ADMIN = Actor("admin-1", "Ada Admin", Role.ADMIN)
WMS = Actor("system", "Warehouse", Role.SYSTEM)

HOME = AddressModel(
    name="Dana Whitfield", line1="12 Elm St", city="Cambridge", region="MA", postal_code="02139"
)
OFFICE = AddressModel(
    name="Acme Receiving",
    company="Acme Corp",
    line1="1 Harbor Way",
    city="Boston",
    region="MA",
    postal_code="02210",
)
_keys = itertools.count(1)


def key(prefix: str = "req") -> str:
    """A fresh idempotency key."""
    return f"{prefix}-{next(_keys):06d}"


@dataclass
class World:
    shop: LocalCommerce
    clock: FakeClock
    jacket_m: str = ""
    jacket_l: str = ""
    jacket_product: str = ""
    boots: str = ""
    sofa: str = ""
    mug: str = ""
    retired: str = ""
    dc: str = ""
    back_bay: str = ""
    cambridge: str = ""
    providence: str = ""
    dana: str = ""
    acme: str = ""

    async def draft(
        self, lines: list[tuple[str, int]], *, customer: str | None = None, **extra: object
    ) -> OrderView:
        cmd = CreateDraft(
            customer_id=customer if customer is not None else self.dana,
            lines=[NewLineIn(variant_id=v, quantity=q) for v, q in lines],
            **extra,
        )
        return await self.shop.create_draft(AGENT, cmd)

    async def placed(
        self, lines: list[tuple[str, int]] | None = None, *, customer: str | None = None
    ) -> OrderView:
        order = await self.draft(lines or [(self.jacket_m, 1), (self.boots, 1)], customer=customer)
        return await self.shop.confirm_order(AGENT, order.number, ConfirmOrder())

    async def released(self, lines: list[tuple[str, int]] | None = None) -> OrderView:
        order = await self.placed(lines)
        order = await self.shop.schedule_order(WMS, order.number, ScheduleOrder())
        return await self.shop.release_order(WMS, order.number, ReleaseOrder())

    async def packed(self, lines: list[tuple[str, int]] | None = None) -> OrderView:
        order = await self.released(lines)
        return await self.shop.create_shipment(
            WMS, order.number, CreateShipment(line_ids=[line.id for line in order.lines])
        )

    async def shipped(self, lines: list[tuple[str, int]] | None = None) -> OrderView:
        order = await self.packed(lines)
        return await self.shop.dispatch_shipment(
            WMS,
            order.number,
            DispatchShipment(
                shipment_id=order.shipments[-1].id,
                carrier="UPS",
                tracking_number=f"1Z{next(_keys):08d}",
                idempotency_key=key("dispatch"),
            ),
        )

    async def delivered(self, lines: list[tuple[str, int]] | None = None) -> OrderView:
        order = await self.shipped(lines)
        return await self.shop.record_tracking_event(
            WMS,
            order.number,
            TrackingEvent(
                shipment_id=order.shipments[-1].id, status="delivered", description="Front door"
            ),
        )


def _store(
    code: str,
    name: str,
    line1: str,
    city: str,
    region: str,
    zip_: str,
    lat: float,
    lon: float,
    kind: LocationKind = LocationKind.STORE,
) -> NewLocation:
    return NewLocation(
        code=code,
        name=name,
        kind=kind,
        address=AddressModel(name=name, line1=line1, city=city, region=region, postal_code=zip_),
        latitude=lat,
        longitude=lon,
        hours="Mon-Sat 10-8",
    )


async def build_world(factory: UowFactory, clock: FakeClock) -> World:
    shop = LocalCommerce(factory)
    w = World(shop=shop, clock=clock)
    jacket = await shop.add_product(
        NewProduct(
            name="Harbor Rain Jacket",
            category="outerwear",
            brand="Careline",
            options=["monogram"],
            variants=[
                NewVariant(sku="JKT-M-NVY", price=Decimal("80.00"), size="M", colour="navy"),
                NewVariant(sku="JKT-L-NVY", price=Decimal("80.00"), size="L", colour="navy"),
            ],
        )
    )
    w.jacket_product = jacket.id
    w.jacket_m, w.jacket_l = jacket.variants[0].id, jacket.variants[1].id
    boots = await shop.add_product(
        NewProduct(
            name="Trail Boots",
            category="footwear",
            variants=[NewVariant(sku="BOOT-42", price=Decimal("40.00"), size="42")],
        )
    )
    w.boots = boots.variants[0].id
    sofa = await shop.add_product(
        NewProduct(
            name="Lounge Sofa",
            category="furniture",
            bulky=True,
            variants=[NewVariant(sku="SOFA-GRY", price=Decimal("900.00"), colour="grey")],
        )
    )
    w.sofa = sofa.variants[0].id
    mug = await shop.add_product(
        NewProduct(
            name="Enamel Mug",
            category="home",
            variants=[NewVariant(sku="MUG-1", price=Decimal("12.00"))],
        )
    )
    w.mug = mug.variants[0].id
    w.dc = (
        await shop.add_location(
            _store(
                "DC1",
                "Woburn Distribution",
                "100 Commerce Way",
                "Woburn",
                "MA",
                "01801",
                42.4829,
                -71.1570,
                LocationKind.WAREHOUSE,
            )
        )
    ).id
    w.back_bay = (
        await shop.add_location(
            _store("BB", "Back Bay", "500 Boylston St", "Boston", "MA", "02116", 42.3496, -71.0764)
        )
    ).id
    w.cambridge = (
        await shop.add_location(
            _store(
                "CAM", "Cambridge", "20 Brattle St", "Cambridge", "MA", "02138", 42.3740, -71.1210
            )
        )
    ).id
    w.providence = (
        await shop.add_location(
            _store(
                "PVD",
                "Providence",
                "1 Westminster St",
                "Providence",
                "RI",
                "02903",
                41.8240,
                -71.4128,
            )
        )
    ).id
    for variant, location, count in (
        (w.jacket_m, w.dc, 50),
        (w.jacket_l, w.dc, 50),
        (w.boots, w.dc, 50),
        (w.sofa, w.dc, 5),
        (w.jacket_m, w.back_bay, 2),
        (w.jacket_m, w.cambridge, 6),
        (w.jacket_m, w.providence, 9),
        (w.boots, w.cambridge, 1),
    ):
        await shop.set_stock(SetStock(location_id=location, variant_id=variant, on_hand=count))
    # The mug has no stock anywhere: it backorders.
    await shop.add_promotion(
        NewPromotion(
            code="SPRING10", description="10% off", kind=PromotionKind.PERCENT, value=Decimal("10")
        )
    )
    await shop.add_promotion(
        NewPromotion(code="SHIPFREE", description="Free shipping", kind=PromotionKind.FREE_SHIPPING)
    )
    await shop.add_promotion(
        NewPromotion(
            code="BIG20",
            description="$20 off $150",
            kind=PromotionKind.AMOUNT,
            value=Decimal("20"),
            min_subtotal=Decimal("150"),
        )
    )
    dana = await shop.register_customer(
        RegisterCustomer(
            first_name="Dana",
            last_name="Whitfield",
            email="dana@example.com",
            phone="617-555-0101",
            addresses=[AddressIn(address=HOME, label="home")],
            payment_methods=[
                PaymentMethodIn(
                    token="tok_visa_dana", brand="visa", last4="4242", exp_month=8, exp_year=2029
                )
            ],
        )
    )
    w.dana = dana.id
    acme = await shop.register_customer(
        RegisterCustomer(
            kind=CustomerKind.BUSINESS,
            first_name="Priya",
            last_name="Nair",
            email="purchasing@acme.example",
            company=CompanyIn(
                name="Acme Corp",
                tax_id="04-1234567",
                tax_exempt=True,
                exemption_certificate="MA-EX-7781",
                payment_terms="net30",
            ),
            contacts=[
                ContactIn(
                    name="Priya Nair",
                    email="priya@acme.example",
                    role=ContactRole.PURCHASE_MANAGER,
                    is_primary=True,
                ),
                ContactIn(
                    name="Tom Reyes", email="ap@acme.example", role=ContactRole.ACCOUNTS_PAYABLE
                ),
            ],
            addresses=[AddressIn(address=OFFICE, label="HQ")],
            payment_methods=[
                PaymentMethodIn(
                    kind="on_account", token="acct_acme_net30", brand="other", last4="0000"
                )
            ],
        )
    )
    w.acme = acme.id
    # A product the shop stopped selling, kept for old orders.
    retired = await shop.add_product(
        NewProduct(
            name="Old Scarf",
            category="accessories",
            variants=[NewVariant(sku="SCARF-OLD", price=Decimal("25.00"))],
        )
    )
    w.retired = retired.variants[0].id
    await shop.set_stock(SetStock(location_id=w.dc, variant_id=w.retired, on_hand=10))
    return w
