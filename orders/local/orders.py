"""Orders, in process: queries, CSR actions and the fulfilment feed (generated once from
the list of use cases; each method is one use case on a fresh unit of work)."""

from __future__ import annotations

from customers.kernel import Actor
from orders.local.base import LocalBase
from orders.schemas.commands import (
    AddLine,
    AddNote,
    Appease,
    ApplyCoupon,
    ApplyHold,
    CancelLine,
    CancelOrder,
    ChangeAddress,
    ChangeConfiguration,
    ChangeGiftOptions,
    ChangePayment,
    ChangeQuantity,
    ChangeToPickup,
    ChangeVariant,
    ConfirmOrder,
    CopyOrder,
    CreateDraft,
    CreateReturn,
    CreateShipment,
    DecideApproval,
    DiscardDraft,
    DispatchShipment,
    DraftFromCart,
    OverrideCharge,
    PriceMatch,
    ReceiveReturn,
    ReleaseOrder,
    RemoveCoupon,
    RemoveLine,
    RequestApproval,
    RescheduleDelivery,
    Reship,
    ResolveHold,
    SaveQuote,
    ScheduleOrder,
    SetConfirmationEmail,
    SetCustomer,
    SetShipTogether,
    SetTaxExemption,
    StopDelivery,
    TrackingEvent,
)
from orders.schemas.views import (
    ApprovalQuery,
    ApprovalView,
    ChangeView,
    HeldOrderView,
    InvoiceView,
    OrderQuery,
    OrderSummaryView,
    OrderView,
    PriceMatchQuery,
    PriceMatchView,
)
from orders.usecases import (
    approvals,
    cancellation,
    drafting,
    fulfilment,
    header,
    holds,
    lines,
    money,
    queries,
    returns,
)


class LocalOrders(LocalBase):
    async def get_order(self, number: str) -> OrderView:
        return await queries.get_order(self.uow(), number)

    async def search_orders(self, query: OrderQuery) -> list[OrderSummaryView]:
        return await queries.search_orders(self.uow(), query)

    async def order_history(self, number: str) -> list[ChangeView]:
        return await queries.order_history(self.uow(), number)

    async def order_version(self, number: str, version: int) -> OrderView:
        return await queries.order_version(self.uow(), number, version)

    async def find_invoice(self, invoice_number: str) -> InvoiceView:
        return await queries.find_invoice(self.uow(), invoice_number)

    async def search_price_matches(self, query: PriceMatchQuery) -> list[PriceMatchView]:
        return await queries.search_price_matches(self.uow(), query)

    async def orders_on_hold(self, limit: int = 50, offset: int = 0) -> list[HeldOrderView]:
        return await holds.orders_on_hold(self.uow(), limit, offset)

    async def request_approval(
        self, actor: Actor, number: str, cmd: RequestApproval
    ) -> ApprovalView:
        return await approvals.request_approval(self.uow(), actor, number, cmd)

    async def list_approvals(self, query: ApprovalQuery) -> list[ApprovalView]:
        return await approvals.list_approvals(self.uow(), query)

    async def approve(self, actor: Actor, approval_id: str, cmd: DecideApproval) -> ApprovalView:
        return await approvals.approve(self.uow(), actor, approval_id, cmd)

    async def reject(self, actor: Actor, approval_id: str, cmd: DecideApproval) -> ApprovalView:
        return await approvals.reject(self.uow(), actor, approval_id, cmd)

    async def create_draft(self, actor: Actor, cmd: CreateDraft) -> OrderView:
        return await drafting.create_draft(self.uow(), actor, cmd)

    async def draft_from_cart(self, actor: Actor, cmd: DraftFromCart) -> OrderView:
        return await drafting.draft_from_cart(self.uow(), actor, cmd)

    async def copy_order(self, actor: Actor, number: str, cmd: CopyOrder) -> OrderView:
        return await drafting.copy_order(self.uow(), actor, number, cmd)

    async def set_customer(self, actor: Actor, number: str, cmd: SetCustomer) -> OrderView:
        return await drafting.set_customer(self.uow(), actor, number, cmd)

    async def confirm_order(self, actor: Actor, number: str, cmd: ConfirmOrder) -> OrderView:
        return await drafting.confirm_order(self.uow(), actor, number, cmd)

    async def save_quote(self, actor: Actor, number: str, cmd: SaveQuote) -> OrderView:
        return await drafting.save_quote(self.uow(), actor, number, cmd)

    async def discard_draft(self, actor: Actor, number: str, cmd: DiscardDraft) -> OrderView:
        return await drafting.discard_draft(self.uow(), actor, number, cmd)

    async def add_line(self, actor: Actor, number: str, cmd: AddLine) -> OrderView:
        return await lines.add_line(self.uow(), actor, number, cmd)

    async def remove_line(self, actor: Actor, number: str, cmd: RemoveLine) -> OrderView:
        return await lines.remove_line(self.uow(), actor, number, cmd)

    async def change_quantity(self, actor: Actor, number: str, cmd: ChangeQuantity) -> OrderView:
        return await lines.change_quantity(self.uow(), actor, number, cmd)

    async def change_variant(self, actor: Actor, number: str, cmd: ChangeVariant) -> OrderView:
        return await lines.change_variant(self.uow(), actor, number, cmd)

    async def change_configuration(
        self, actor: Actor, number: str, cmd: ChangeConfiguration
    ) -> OrderView:
        return await lines.change_configuration(self.uow(), actor, number, cmd)

    async def change_to_pickup(self, actor: Actor, number: str, cmd: ChangeToPickup) -> OrderView:
        return await lines.change_to_pickup(self.uow(), actor, number, cmd)

    async def reschedule_delivery(
        self, actor: Actor, number: str, cmd: RescheduleDelivery
    ) -> OrderView:
        return await lines.reschedule_delivery(self.uow(), actor, number, cmd)

    async def change_ship_to(self, actor: Actor, number: str, cmd: ChangeAddress) -> OrderView:
        return await header.change_ship_to(self.uow(), actor, number, cmd)

    async def change_bill_to(self, actor: Actor, number: str, cmd: ChangeAddress) -> OrderView:
        return await header.change_bill_to(self.uow(), actor, number, cmd)

    async def change_gift_options(
        self, actor: Actor, number: str, cmd: ChangeGiftOptions
    ) -> OrderView:
        return await header.change_gift_options(self.uow(), actor, number, cmd)

    async def change_payment(self, actor: Actor, number: str, cmd: ChangePayment) -> OrderView:
        return await header.change_payment(self.uow(), actor, number, cmd)

    async def set_confirmation_email(
        self, actor: Actor, number: str, cmd: SetConfirmationEmail
    ) -> OrderView:
        return await header.set_confirmation_email(self.uow(), actor, number, cmd)

    async def set_ship_together(self, actor: Actor, number: str, cmd: SetShipTogether) -> OrderView:
        return await header.set_ship_together(self.uow(), actor, number, cmd)

    async def set_tax_exemption(self, actor: Actor, number: str, cmd: SetTaxExemption) -> OrderView:
        return await header.set_tax_exemption(self.uow(), actor, number, cmd)

    async def add_note(self, actor: Actor, number: str, cmd: AddNote) -> OrderView:
        return await header.add_note(self.uow(), actor, number, cmd)

    async def cancel_order(self, actor: Actor, number: str, cmd: CancelOrder) -> OrderView:
        return await cancellation.cancel_order(self.uow(), actor, number, cmd)

    async def cancel_line(self, actor: Actor, number: str, cmd: CancelLine) -> OrderView:
        return await cancellation.cancel_line(self.uow(), actor, number, cmd)

    async def stop_delivery(self, actor: Actor, number: str, cmd: StopDelivery) -> OrderView:
        return await cancellation.stop_delivery(self.uow(), actor, number, cmd)

    async def apply_hold(self, actor: Actor, number: str, cmd: ApplyHold) -> OrderView:
        return await holds.apply_hold(self.uow(), actor, number, cmd)

    async def resolve_hold(self, actor: Actor, number: str, cmd: ResolveHold) -> OrderView:
        return await holds.resolve_hold(self.uow(), actor, number, cmd)

    async def appease(self, actor: Actor, number: str, cmd: Appease) -> OrderView:
        return await money.appease(self.uow(), actor, number, cmd)

    async def price_match(self, actor: Actor, number: str, cmd: PriceMatch) -> OrderView:
        return await money.price_match(self.uow(), actor, number, cmd)

    async def apply_coupon(self, actor: Actor, number: str, cmd: ApplyCoupon) -> OrderView:
        return await money.apply_coupon(self.uow(), actor, number, cmd)

    async def remove_coupon(self, actor: Actor, number: str, cmd: RemoveCoupon) -> OrderView:
        return await money.remove_coupon(self.uow(), actor, number, cmd)

    async def override_charge(self, actor: Actor, number: str, cmd: OverrideCharge) -> OrderView:
        return await money.override_charge(self.uow(), actor, number, cmd)

    async def reship_line(self, actor: Actor, number: str, cmd: Reship) -> OrderView:
        return await fulfilment.reship_line(self.uow(), actor, number, cmd)

    async def create_return(self, actor: Actor, number: str, cmd: CreateReturn) -> OrderView:
        return await returns.create_return(self.uow(), actor, number, cmd)

    async def receive_return(self, actor: Actor, number: str, cmd: ReceiveReturn) -> OrderView:
        return await returns.receive_return(self.uow(), actor, number, cmd)


class LocalFulfilment(LocalBase):
    async def schedule_order(self, actor: Actor, number: str, cmd: ScheduleOrder) -> OrderView:
        return await fulfilment.schedule_order(self.uow(), actor, number, cmd)

    async def release_order(self, actor: Actor, number: str, cmd: ReleaseOrder) -> OrderView:
        return await fulfilment.release_order(self.uow(), actor, number, cmd)

    async def create_shipment(self, actor: Actor, number: str, cmd: CreateShipment) -> OrderView:
        return await fulfilment.create_shipment(self.uow(), actor, number, cmd)

    async def dispatch_shipment(
        self, actor: Actor, number: str, cmd: DispatchShipment
    ) -> OrderView:
        return await fulfilment.dispatch_shipment(self.uow(), actor, number, cmd)

    async def record_tracking_event(
        self, actor: Actor, number: str, cmd: TrackingEvent
    ) -> OrderView:
        return await fulfilment.record_tracking_event(self.uow(), actor, number, cmd)
