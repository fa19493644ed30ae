"""The demo orders: a purchase history for every customer, and an order in every status, each
set up for one of the call-center cases a CSR can try.

What each order is there for (its key in the idempotency keys and tracking numbers):

- shipment status, a late parcel, an appeasement above the agent limit waiting for a lead:
  ``tom-delayed``; in transit: ``grace-transit``, ``schools-sheets``
- invoice adjustments (appeasement, price match) after a resolved hold: ``marcus-damaged``
- cancel a line included in a shipment (stop the delivery first): ``hannah-packed``
- change a line to store pickup: ``grace-created``; already a pickup: ``alicia-pickup``
- resolve holds: ``marcus-fraud`` (fraud review), ``dental-address`` (address verification),
  ``hannah-payment`` (payment)
- guest order with gift wrap: ``guest-gift``; a business quote: ``harborview-quote``
- returned: ``priya-return``; cancelled: ``tom-cancelled``; backordered: ``alicia-backorder``
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from customers.schemas import AddressModel
from orders.demo.base import Seeding
from orders.demo.flow import Flow
from orders.demo.people import card_token
from orders.domain.enums import AppeasementReason, Channel, HoldType, ReturnReason, ShipmentStatus
from orders.schemas.commands import (
    Appease,
    CancelOrder,
    ChangeGiftOptions,
    ChangePayment,
    ChangeToPickup,
    CreateReturn,
    GuestIn,
    LineGiftIn,
    PaymentInstructionIn,
    PriceMatch,
    ReceiveReturn,
    RequestApproval,
    ResolveHold,
    ReturnLineIn,
    SaveQuote,
)
from orders.schemas.views import OrderQuery


def _flow(seeding: Seeding, key: str, days_ago: int, hour: int = 10) -> Flow:
    seeding.clock.travel(days_ago, hour)
    return Flow(seeding, key)


async def _history(s: Seeding) -> None:
    """Delivered, returned and cancelled orders from the last three months."""
    st = s.staff
    f = await _flow(s, "alicia-spring", 88).draft(
        st.storefront, (("JKT-M-NAVY", 1), ("BNE-NAVY", 1)), customer="alicia"
    )
    await f.coupon(st.storefront, "WELCOME10")
    await (await f.place(st.storefront)).ship()
    await f.deliver()

    f = await _flow(s, "marcus-damaged", 70).draft(
        st.storefront, (("SWT-L-FOREST", 1), ("CHN-34-NAVY", 2)), customer="marcus"
    )
    await (await f.place(st.storefront)).hold(
        st.storefront, HoldType.ADDRESS_VERIFICATION, "Apartment number missing"
    )
    s.clock.later(hours=1)
    f.view = await s.shop.resolve_hold(
        st.sam,
        f.number,
        ResolveHold(hold_id=f.order.holds[0].id, note="Customer confirmed apt 2 by phone"),
    )
    await (await f.ship()).deliver("Delivered, left with neighbour")
    s.clock.later(days=2)
    f.view = await s.shop.appease(
        st.sam,
        f.number,
        Appease(
            line_id=f.line("SWT-L-FOREST"),
            amount=Decimal("13.35"),
            reason=AppeasementReason.DAMAGED_ITEM,
            note="Pulled thread on the sleeve; customer keeps it",
            idempotency_key=f.idem("appease"),
        ),
    )
    s.clock.later(hours=1)
    f.view = await s.shop.price_match(
        st.alex,
        f.number,
        PriceMatch(
            line_id=f.line("CHN-34-NAVY"),
            competitor="Newbury Outfitters",
            competitor_price=Decimal("59.00"),
            competitor_url="https://newbury-outfitters.example.com/chino-navy",
            idempotency_key=f.idem("price-match"),
        ),
    )

    f = await _flow(s, "priya-return", 60, 14).draft(
        st.jo, (("RUN-9-BLACK", 1),), customer="priya", channel=Channel.PHONE
    )
    await (await (await f.place(st.jo)).ship()).deliver()
    s.clock.later(days=4)
    f.view = await s.shop.create_return(
        st.jo,
        f.number,
        CreateReturn(
            lines=[ReturnLineIn(line_id=f.line("RUN-9-BLACK"), reason=ReturnReason.DOES_NOT_FIT)],
            note="Runs half a size small",
            idempotency_key=f.idem("return"),
        ),
    )
    s.clock.later(days=5)
    f.view = await s.shop.receive_return(
        st.warehouse,
        f.number,
        ReceiveReturn(return_id=f.order.returns[0].id, idempotency_key=f.idem("received")),
    )

    f = await _flow(s, "harborview-lamps", 45).draft(
        st.jo,
        (("LMP-BRASS", 10), ("DUV-KING-WHITE", 10)),
        customer="harborview",
        channel=Channel.EMAIL,
    )
    await f.coupon(st.jo, "TRADE15")
    await (await (await f.place(st.jo)).ship("XPO Logistics")).deliver("Received at dock 2")

    f = await _flow(s, "dental-chairs", 35).draft(
        st.storefront, (("CHR-NAVY", 2),), customer="dental"
    )
    await (await (await f.place(st.storefront)).ship("XPO Logistics")).deliver("Placed in room")

    f = await _flow(s, "tom-cancelled", 15).draft(
        st.sam, (("SOF-SAND", 1),), customer="tom", channel=Channel.PHONE
    )
    await f.place(st.sam)
    s.clock.later(hours=20)
    f.view = await s.shop.cancel_order(
        st.sam,
        f.number,
        CancelOrder(reason="Customer found a sofa locally", idempotency_key=f.idem("cancel")),
    )


async def _on_the_way(s: Seeding) -> None:
    """Shipped, some of it late; packed; released; scheduled; backordered."""
    st = s.staff
    f = await _flow(s, "schools-sheets", 20).draft(
        st.jo,
        (("SHT-TWIN-WHITE", 30), ("THR-REDPLAID", 10)),
        customer="schools",
        channel=Channel.EMAIL,
    )
    await (await f.place(st.jo)).ship("XPO Logistics")

    f = await _flow(s, "tom-delayed", 6).draft(
        st.storefront, (("LMP-MATTEBLACK", 1), ("PLT-SPECKLED", 2)), customer="tom"
    )
    await (await f.place(st.storefront)).ship("FedEx")
    await f.scan(
        ShipmentStatus.DELAYED,
        "Weather delay at the Hartford, CT hub",
        "Hartford, CT",
        eta_days=4,
    )
    s.clock.later(hours=4)
    await s.shop.request_approval(
        st.alex,
        f.number,
        RequestApproval(
            appeasement=Appease(
                amount=Decimal("40.00"),
                reason=AppeasementReason.LATE_DELIVERY,
                note="Anniversary gift, now arriving after the date",
                idempotency_key=f.idem("appease-approval"),
            ),
            note="Above my limit: customer is a regular, parcel four days late",
        ),
    )

    f = await _flow(s, "grace-transit", 3).draft(
        st.storefront, (("SWT-S-HEATHERGREY", 1),), customer="grace"
    )
    await (await f.place(st.storefront)).ship()

    f = await _flow(s, "hannah-packed", 2).draft(
        st.alex,
        (("OXF-M-WHITE", 1), ("DUV-QUEEN-SAGE", 1), ("MUG-COBALT", 2)),
        customer="hannah",
        channel=Channel.CHAT,
    )
    await (await (await f.place(st.alex)).schedule()).release()
    await f.pack()

    f = await _flow(s, "alicia-backorder", 3).draft(
        st.storefront, (("RUN-11-BLUE", 1),), customer="alicia"
    )
    await (await f.place(st.storefront)).schedule()

    f = await _flow(s, "elena-released", 1, 9).draft(
        st.storefront, (("FLC-M-RED", 1), ("BNE-RED", 1)), customer="elena"
    )
    await (await (await f.place(st.storefront)).schedule()).release()

    f = await _flow(s, "alicia-pickup", 1, 16).draft(
        st.alex, (("SWT-M-OATMEAL", 1),), customer="alicia", channel=Channel.CHAT
    )
    f.view = await s.shop.change_to_pickup(
        st.alex,
        f.number,
        ChangeToPickup(
            line_id=f.line("SWT-M-OATMEAL"),
            store_id="loc_bos-bb",
            pickup_date=s.clock.today().date() + timedelta(days=2),
            reason="Wants it before the weekend",
        ),
    )
    await (await f.place(st.alex)).schedule()

    f = await _flow(s, "marcus-scheduled", 0).draft(
        st.storefront, (("SHT-KING-SKY", 1),), customer="marcus"
    )
    await (await f.place(st.storefront)).schedule()


async def _waiting(s: Seeding) -> None:
    """Placed and waiting: a new order, the held ones, a guest's gift; a quote; a draft."""
    st = s.staff
    f = await _flow(s, "grace-created", 0, 8).draft(
        st.sam, (("JKT-L-OLIVE", 1), ("TOT-NATURAL", 1)), customer="grace", channel=Channel.PHONE
    )
    await f.place(st.sam)

    f = await _flow(s, "marcus-fraud", 1, 23).draft(
        st.storefront,
        (("TBL-8-SEAT-NATURALOAK", 1), ("JKT-XL-NAVY", 2)),
        customer="marcus",
        ship_to=AddressModel(
            name="M. Chen", line1="77 Canal St", city="Providence", region="RI", postal_code="02903"
        ),
    )
    await (await f.place(st.storefront)).hold(
        st.storefront,
        HoldType.FRAUD_REVIEW,
        "Risk score 87: new ship-to in another state, high value, ordered 11:40pm",
    )

    f = await _flow(s, "dental-address", 1, 11).draft(
        st.sam,
        (("PLT-CHARCOAL", 4), ("MUG-WHITE", 6)),
        customer="dental",
        channel=Channel.PHONE,
        ship_to=AddressModel(
            name="Beacon Street Dental",
            company="Beacon Street Dental",
            line1="1180 Beacon St",
            line2="Suite 4B",
            city="Brookline",
            region="MA",
            postal_code="02446",
        ),
    )
    await (await f.place(st.sam)).hold(
        st.sam,
        HoldType.ADDRESS_VERIFICATION,
        "Carrier cannot validate Suite 4B; call the office to confirm",
    )

    f = await _flow(s, "hannah-payment", 1, 15).draft(
        st.storefront, (("SOF-SLATE", 1),), customer="hannah"
    )
    await (await f.place(st.storefront)).hold(
        st.storefront,
        HoldType.PAYMENT,
        "Authorization for the sofa declined by the issuer; ask for another card",
    )

    await _guest_gift(s)

    f = await _flow(s, "harborview-quote", 2, 13).draft(
        st.jo,
        (("DUV-QUEEN-WHITE", 20), ("SHT-QUEEN-WHITE", 20), ("LMP-BRASS", 20)),
        customer="harborview",
        channel=Channel.EMAIL,
    )
    f.view = await s.shop.save_quote(st.jo, f.number, SaveQuote(valid_days=30))

    f = await _flow(s, "priya-draft", 0, 9).draft(
        st.jo, (("CHN-30-KHAKI", 1), ("OXF-S-BLUE", 1)), customer="priya", channel=Channel.PHONE
    )


async def _guest_gift(s: Seeding) -> None:
    st = s.staff
    wrapped = frozenset({"SWT-S-OATMEAL", "BNE-CREAM"})
    f = await _flow(s, "guest-gift", 1, 19).draft(
        st.alex,
        (("SWT-S-OATMEAL", 1), ("BNE-CREAM", 1), ("MUG-WHITE", 1)),
        guest=GuestIn(
            name="Olivia Bennett", email="olivia.bennett@example.net", phone="978-555-0142"
        ),
        channel=Channel.CHAT,
        ship_to=AddressModel(
            name="Margaret Bennett",
            line1="14 Chestnut St",
            city="Salem",
            region="MA",
            postal_code="01970",
            phone="978-555-0199",
        ),
    )
    f.view = await s.shop.change_gift_options(
        st.alex,
        f.number,
        ChangeGiftOptions(
            is_gift=True,
            recipient="Margaret Bennett",
            message="Happy birthday, Mom! Love, Liv",
            lines=[
                LineGiftIn(line_id=f.line(sku), gift_wrap=True, gift_message="Happy birthday!")
                for sku in sorted(wrapped)
            ],
        ),
    )
    f.view = await s.shop.change_payment(
        st.alex,
        f.number,
        ChangePayment(
            payments=[
                PaymentInstructionIn(
                    token=card_token("guest-olivia", "4000"),
                    brand="visa",
                    last4="4000",
                    exp_month=4,
                    exp_year=s.clock.real_now().year + 2,
                )
            ],
            idempotency_key=f.idem("payment"),
        ),
    )
    await (await f.place(st.alex)).schedule()


async def load_orders(seeding: Seeding) -> bool:
    """Seed the orders unless there are orders already; says whether it did."""
    if await seeding.shop.search_orders(OrderQuery(limit=1)):
        return False
    await _history(seeding)
    await _on_the_way(seeding)
    await _waiting(seeding)
    return True
