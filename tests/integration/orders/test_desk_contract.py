"""The order desk contract: the call-center use cases through the seam only.

Every test here talks to ``desk`` (an ``orders.desk.Commerce``) and nothing else: no fakes, no
look into storage. It runs twice: against the in-process implementation, and against
``HttpCommerce`` over the REST API of the real app (same seeded database); both must pass.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import pytest

from customers.errors import DomainError
from customers.model import ContactRole, CustomerKind
from customers.schemas import (
    AddCartItem,
    AddressModel,
    CartOwnerIn,
    CompanyIn,
    ContactIn,
    PaymentMethodIn,
    RegisterCustomer,
)
from orders.catalog.schemas import AvailabilityQuery
from orders.desk import Commerce
from orders.domain.approvals import ApprovalStatus
from orders.domain.enums import AppeasementReason, HoldType, LineStatus, OrderStatus
from orders.schemas.commands import (
    AddLine,
    AddNote,
    Appease,
    ApplyHold,
    CancelLine,
    CancelOrder,
    ChangePayment,
    ChangeToPickup,
    ConfirmOrder,
    CreateDraft,
    CreateShipment,
    DecideApproval,
    DispatchShipment,
    DraftFromCart,
    GuestIn,
    NewLineIn,
    PaymentInstructionIn,
    PriceMatch,
    ReleaseOrder,
    RequestApproval,
    ResolveHold,
    ScheduleOrder,
    StopDelivery,
    TrackingEvent,
)
from orders.schemas.views import ApprovalQuery, OrderQuery, OrderView, PriceMatchQuery
from tests.integration.orders.http_desk import ALL_CSRS, serve
from tests.unit.orders.builders import AGENT, AGENT_2, LEAD, WMS, World, key


@pytest.fixture(params=["in_process", "http"])
async def desk(
    request: pytest.FixtureRequest, world: World, database_url: str
) -> AsyncIterator[Commerce]:
    """The seam in process, or over the REST API of the real app on a localhost port (same
    database, same shop, CSR accounts with the builders' names and roles)."""
    if request.param == "in_process":
        yield world.shop
        return
    async with serve(database_url, world.shop, actors=ALL_CSRS) as http:
        yield http.client()


async def placed(desk: Commerce, world: World, lines: list[tuple[str, int]]) -> OrderView:
    draft = await desk.create_draft(
        AGENT,
        CreateDraft(
            customer_id=world.dana, lines=[NewLineIn(variant_id=v, quantity=q) for v, q in lines]
        ),
    )
    return await desk.confirm_order(
        AGENT,
        draft.number,
        ConfirmOrder(expected_version=draft.version, idempotency_key=key("confirm")),
    )


async def packed(desk: Commerce, world: World, lines: list[tuple[str, int]]) -> OrderView:
    order = await placed(desk, world, lines)
    order = await desk.schedule_order(WMS, order.number, ScheduleOrder())
    order = await desk.release_order(WMS, order.number, ReleaseOrder())
    return await desk.create_shipment(
        WMS, order.number, CreateShipment(line_ids=[ln.id for ln in order.lines])
    )


async def shipped(desk: Commerce, world: World, lines: list[tuple[str, int]]) -> OrderView:
    order = await packed(desk, world, lines)
    return await desk.dispatch_shipment(
        WMS,
        order.number,
        DispatchShipment(
            shipment_id=order.shipments[0].id,
            carrier="UPS",
            tracking_number="1Z900",
            idempotency_key=key("dispatch"),
        ),
    )


async def test_guest_order_with_gift_wrap(desk: Commerce, world: World) -> None:
    order = await desk.create_draft(
        AGENT,
        CreateDraft(
            guest=GuestIn(name="Sam Guest", email="sam@example.com"),
            ship_to=AddressModel(
                name="Ann Lee", line1="3 Oak Ln", city="Newton", region="MA", postal_code="02458"
            ),
            lines=[NewLineIn(variant_id=world.boots, gift_wrap=True, gift_message="Happy trails")],
        ),
    )
    order = await desk.change_payment(
        AGENT,
        order.number,
        ChangePayment(
            payments=[
                PaymentInstructionIn(
                    token="tok_guest", brand="visa", last4="1881", exp_month=4, exp_year=2030
                )
            ]
        ),
    )
    order = await desk.confirm_order(AGENT, order.number, ConfirmOrder())
    assert order.status is OrderStatus.CREATED and order.customer_id is None
    gift_wrap = next(c for c in order.charges if c.kind.value == "gift_wrap")
    assert gift_wrap.amount == Decimal("5.00")
    assert order.totals.authorized == order.totals.grand_total
    found = await desk.search_orders(OrderQuery(email="sam@example.com"))
    assert [o.number for o in found] == [order.number]


async def test_register_a_business_customer(desk: Commerce) -> None:
    customer = await desk.register_customer(
        RegisterCustomer(
            kind=CustomerKind.BUSINESS,
            first_name="Mia",
            last_name="Chen",
            email="buying@harborcafe.example",
            company=CompanyIn(name="Harbor Cafe LLC", tax_id="04-7654321"),
            contacts=[ContactIn(name="Mia Chen", role=ContactRole.PURCHASE_MANAGER)],
            payment_methods=[
                PaymentMethodIn(
                    token="tok_cafe", brand="mastercard", last4="5100", exp_month=2, exp_year=2031
                )
            ],
        )
    )
    assert customer.name == "Harbor Cafe LLC"
    assert customer.contacts[0].role is ContactRole.PURCHASE_MANAGER
    with pytest.raises(DomainError) as refused:
        await desk.register_customer(
            RegisterCustomer(
                first_name="X",
                email="x@example.com",
                payment_methods=[
                    PaymentMethodIn(token="5555555555554444", brand="mastercard", last4="4444")
                ],
            )
        )
    assert refused.value.code == "card_number_not_allowed"


async def test_availability_nearby_and_switch_to_pickup(desk: Commerce, world: World) -> None:
    nearby = await desk.availability_near(
        AvailabilityQuery(variant_id=world.jacket_m, postal_code="02116", in_stock_only=True)
    )
    assert nearby.stores[0].store.name == "Back Bay" and nearby.stores[0].available == 2
    order = await placed(desk, world, [(world.jacket_m, 2)])
    when = world.clock().date() + timedelta(days=1)
    order = await desk.change_to_pickup(
        AGENT,
        order.number,
        ChangeToPickup(
            line_id=order.lines[0].id,
            store_id=nearby.stores[0].store.id,
            pickup_date=when,
            expected_version=order.version,
        ),
    )
    assert order.lines[0].fulfilment.value == "pickup"
    after = await desk.availability_near(
        AvailabilityQuery(variant_id=world.jacket_m, postal_code="02116")
    )
    assert after.stores[0].available == 0


async def test_cancel_a_line_included_in_a_shipment(desk: Commerce, world: World) -> None:
    order = await packed(desk, world, [(world.jacket_m, 1), (world.boots, 1)])
    line = order.lines[0]
    with pytest.raises(DomainError) as refused:
        await desk.cancel_line(AGENT, order.number, CancelLine(line_id=line.id, reason="x"))
    assert refused.value.code == "stop_delivery_required"
    assert (await desk.get_order(order.number)).version == order.version
    order = await desk.stop_delivery(
        AGENT, order.number, StopDelivery(line_id=line.id, reason="changed mind")
    )
    order = await desk.cancel_line(
        AGENT, order.number, CancelLine(line_id=line.id, reason="changed mind")
    )
    assert order.lines[0].status is LineStatus.CANCELLED


async def test_shipment_status_with_a_delay_and_invoice_adjustments(
    desk: Commerce, world: World
) -> None:
    order = await shipped(desk, world, [(world.jacket_m, 2)])
    order = await desk.record_tracking_event(
        WMS,
        order.number,
        TrackingEvent(
            shipment_id=order.shipments[0].id,
            status="delayed",
            description="Held at hub",
            expected_delivery=world.clock().date() + timedelta(days=5),
        ),
    )
    assert order.shipments[0].status.value == "delayed"
    assert order.shipments[0].exception == "Held at hub"
    cmd = Appease(
        amount=Decimal("10.00"), reason=AppeasementReason.LATE_DELIVERY, idempotency_key=key()
    )
    order = await desk.appease(AGENT, order.number, cmd)
    assert await desk.appease(AGENT, order.number, cmd) == order  # retried: credited once
    invoice = await desk.find_invoice(order.invoices[0].number)
    assert [a.amount for a in invoice.adjustments] == [
        Decimal("-10.62")
    ]  # 10.00 and the tax on it, 0.62
    assert invoice.adjusted_total == invoice.total - Decimal("10.62")
    assert order.totals.refunded == Decimal("10.62")


async def test_appeasement_above_the_limit_and_a_price_match(desk: Commerce, world: World) -> None:
    order = await placed(desk, world, [(world.jacket_m, 3)])
    with pytest.raises(DomainError) as refused:
        await desk.appease(
            AGENT,
            order.number,
            Appease(amount=Decimal("30.00"), reason="goodwill", idempotency_key=key()),
        )
    assert refused.value.code == "limit_exceeded"
    assert refused.value.details["limit"] == "appeasement_amount"
    order = await desk.appease(
        LEAD,
        order.number,
        Appease(amount=Decimal("30.00"), reason="goodwill", idempotency_key=key()),
    )
    order = await desk.price_match(
        AGENT,
        order.number,
        PriceMatch(
            line_id=order.lines[0].id,
            competitor="Outdoor Depot",
            competitor_price=Decimal("75.00"),
            idempotency_key=key(),
        ),
    )
    matches = await desk.search_price_matches(PriceMatchQuery(order_number=order.number))
    assert [(m.competitor, m.competitor_price) for m in matches] == [
        ("Outdoor Depot", Decimal("75.00"))
    ]


async def test_resolve_holds(desk: Commerce, world: World) -> None:
    order = await placed(desk, world, [(world.jacket_m, 1)])
    order = await desk.apply_hold(
        AGENT, order.number, ApplyHold(type=HoldType.FRAUD_REVIEW, reason="velocity")
    )
    assert [h.order.number for h in await desk.orders_on_hold()] == [order.number]
    with pytest.raises(DomainError) as refused:
        await desk.schedule_order(WMS, order.number, ScheduleOrder())
    assert refused.value.code == "order_on_hold"
    with pytest.raises(DomainError) as refused:
        await desk.resolve_hold(AGENT, order.number, ResolveHold(hold_id=order.holds[0].id))
    assert refused.value.code == "lead_required"
    order = await desk.resolve_hold(LEAD, order.number, ResolveHold(hold_id=order.holds[0].id))
    assert await desk.orders_on_hold() == []


async def test_cart_to_order_and_a_stale_version(desk: Commerce, world: World) -> None:
    cart = await desk.get_or_create_cart(CartOwnerIn(visitor_id="vis-contract"))
    await desk.add_cart_item(cart.id, AddCartItem(variant_id=world.boots, quantity=2))
    draft = await desk.draft_from_cart(AGENT, DraftFromCart(visitor_id="vis-contract"))
    with pytest.raises(DomainError) as refused:
        await desk.add_cart_item(cart.id, AddCartItem(variant_id=world.boots))
    assert refused.value.code == "cart_locked"
    await desk.add_line(
        AGENT, draft.number, AddLine(variant_id=world.jacket_m, expected_version=draft.version)
    )
    with pytest.raises(DomainError) as refused:
        await desk.add_line(
            AGENT, draft.number, AddLine(variant_id=world.mug, expected_version=draft.version)
        )
    assert refused.value.code == "version_conflict"
    assert len((await desk.get_order(draft.number)).lines) == 2
    history = await desk.order_history(draft.number)
    assert [c.action for c in history] == ["draft_from_cart", "add_line"]


# --- rules at their edges (the same answers in process and over HTTP) -----------------------


async def test_a_shipped_line_is_not_cancelled_but_returned(desk: Commerce, world: World) -> None:
    order = await shipped(desk, world, [(world.boots, 1)])
    line = order.lines[0]
    with pytest.raises(DomainError) as refused:
        await desk.cancel_line(
            AGENT,
            order.number,
            CancelLine(line_id=line.id, reason="too late", expected_version=order.version),
        )
    assert refused.value.code == "return_required"
    after = await desk.get_order(order.number)
    assert (after.version, after.lines[0].status) == (order.version, line.status)


async def test_above_the_agents_limit_a_lead_approves(desk: Commerce, world: World) -> None:
    order = await placed(desk, world, [(world.jacket_m, 3)])
    credit = Appease(
        amount=Decimal("30.00"), reason=AppeasementReason.GOODWILL, idempotency_key=key()
    )
    with pytest.raises(DomainError) as refused:
        await desk.appease(AGENT, order.number, credit)
    assert refused.value.code == "limit_exceeded"
    assert refused.value.details["limit"] == "appeasement_amount"
    assert (await desk.get_order(order.number)).version == order.version
    asked = await desk.request_approval(
        AGENT, order.number, RequestApproval(appeasement=credit, note="loyal customer")
    )
    assert asked.status is ApprovalStatus.PENDING and asked.requested_by_name == AGENT.name
    waiting = await desk.list_approvals(ApprovalQuery(order_number=order.number))
    assert [a.id for a in waiting] == [asked.id]
    with pytest.raises(DomainError) as refused:
        await desk.approve(AGENT_2, asked.id, DecideApproval())
    assert refused.value.code == "lead_required"
    done = await desk.approve(LEAD, asked.id, DecideApproval(note="fine"))
    assert done.status is ApprovalStatus.APPROVED
    after = await desk.get_order(order.number)
    assert after.version == done.result_version
    assert after.totals.grand_total < order.totals.grand_total
    assert await desk.list_approvals(ApprovalQuery(order_number=order.number)) == []


async def test_a_stale_version_changes_nothing(desk: Commerce, world: World) -> None:
    order = await placed(desk, world, [(world.boots, 1)])
    noted = await desk.add_note(
        AGENT, order.number, AddNote(text="Called about delivery", expected_version=order.version)
    )
    with pytest.raises(DomainError) as refused:
        await desk.cancel_order(
            AGENT, order.number, CancelOrder(reason="changed mind", expected_version=order.version)
        )
    assert refused.value.code == "version_conflict"
    assert refused.value.details["actual"] == noted.version
    after = await desk.get_order(order.number)
    assert (after.version, after.status) == (noted.version, noted.status)
    assert [c.action for c in await desk.order_history(order.number)][-1] == "add_note"


async def test_a_retried_money_action_credits_once(desk: Commerce, world: World) -> None:
    order = await placed(desk, world, [(world.jacket_m, 1)])
    match = PriceMatch(
        line_id=order.lines[0].id,
        competitor="Outdoor Depot",
        competitor_price=Decimal("70.00"),
        idempotency_key=key("match"),
    )
    first = await desk.price_match(AGENT, order.number, match)
    again = await desk.price_match(AGENT, order.number, match)
    assert again == first
    assert first.totals.grand_total < order.totals.grand_total
    matches = await desk.search_price_matches(PriceMatchQuery(order_number=order.number))
    assert len(matches) == 1
    other = match.model_copy(update={"competitor_price": Decimal("60.00")})
    with pytest.raises(DomainError) as refused:
        await desk.price_match(AGENT, order.number, other)
    assert refused.value.code == "idempotency_key_reused"
    assert (await desk.get_order(order.number)).version == first.version


async def test_a_request_that_can_never_succeed_changes_nothing(
    desk: Commerce, world: World
) -> None:
    order = await placed(desk, world, [(world.mug, 1)])
    with pytest.raises(DomainError) as refused:
        await desk.appease(
            LEAD,
            order.number,
            Appease(
                amount=Decimal("500.00"), reason=AppeasementReason.GOODWILL, idempotency_key=key()
            ),
        )
    assert refused.value.code == "appeasement_exceeds_value"
    with pytest.raises(DomainError) as refused:
        await desk.get_order("NO-SUCH-ORDER")
    assert refused.value.code == "not_found"
    after = await desk.get_order(order.number)
    assert (after.version, after.totals) == (order.version, order.totals)
