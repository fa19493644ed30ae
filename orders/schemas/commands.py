"""Requests to the order desk. Every change takes the order version the caller saw
(``expected_version``: a stale one is refused with ``version_conflict``); money-moving actions
take an ``idempotency_key`` (a retry with the same key returns the first result)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from customers.model import PaymentKind
from customers.schemas import AddressModel, Amount, Email, Model
from orders.domain.enums import (
    AppeasementReason,
    Channel,
    ChargeKind,
    HoldType,
    ReturnReason,
    ShipmentStatus,
)

Id = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(max_length=500)]
RequiredReason = Annotated[str, Field(min_length=1, max_length=500)]
Quantity = Annotated[int, Field(ge=1, le=999)]
IdempotencyKey = Annotated[str, Field(min_length=8, max_length=100)]
Configuration = Annotated[dict[str, Annotated[str, Field(max_length=200)]], Field(max_length=10)]


class OrderCommand(Model):
    expected_version: Annotated[int, Field(ge=1)] | None = None


class MoneyCommand(OrderCommand):
    idempotency_key: IdempotencyKey


# --- drafting ----------------------------------------------------------------------------


class GuestIn(Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Email | None = None
    phone: Annotated[str, Field(max_length=40)] = ""


class NewLineIn(Model):
    variant_id: Id
    quantity: Quantity = 1
    configuration: Configuration = {}
    gift_wrap: bool = False
    gift_message: Annotated[str, Field(max_length=500)] = ""


class CreateDraft(Model):
    channel: Channel = Channel.PHONE
    customer_id: Id | None = None
    guest: GuestIn | None = None
    lines: Annotated[list[NewLineIn], Field(max_length=100)] = []
    ship_to: AddressModel | None = None
    bill_to: AddressModel | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"

    @model_validator(mode="after")
    def _one_customer(self) -> Self:
        if self.customer_id is not None and self.guest is not None:
            raise ValueError("give customer_id or guest, not both")
        return self


class DraftFromCart(Model):
    """Pull a shopper's open cart into a draft order (the cart is locked meanwhile)."""

    cart_id: Id | None = None
    visitor_id: Id | None = None
    customer_id: Id | None = None
    channel: Channel = Channel.CHAT

    @model_validator(mode="after")
    def _which_cart(self) -> Self:
        if not (self.cart_id or self.visitor_id or self.customer_id):
            raise ValueError("name the cart: cart_id, visitor_id or customer_id")
        return self


class CopyOrder(Model):
    channel: Channel = Channel.PHONE


class SetCustomer(OrderCommand):
    customer_id: Id | None = None
    guest: GuestIn | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.customer_id is None) == (self.guest is None):
            raise ValueError("give exactly one of customer_id or guest")
        return self


class ConfirmOrder(OrderCommand):
    # Placing the order authorizes payment: a retried confirmation must not authorize twice.
    idempotency_key: IdempotencyKey | None = None


class SaveQuote(OrderCommand):
    valid_days: Annotated[int, Field(ge=1, le=90)] = 30


class DiscardDraft(OrderCommand):
    reason: Reason = ""


# --- lines -------------------------------------------------------------------------------


class AddLine(OrderCommand):
    variant_id: Id
    quantity: Quantity = 1
    configuration: Configuration = {}
    gift_wrap: bool = False
    gift_message: Annotated[str, Field(max_length=500)] = ""
    reason: Reason = ""


class RemoveLine(OrderCommand):
    line_id: Id


class ChangeQuantity(OrderCommand):
    line_id: Id
    quantity: Quantity
    reason: Reason = ""


class ChangeVariant(OrderCommand):
    line_id: Id
    variant_id: Id
    reason: Reason = ""


class ChangeConfiguration(OrderCommand):
    line_id: Id
    configuration: Configuration
    reason: Reason = ""


class ChangeToPickup(OrderCommand):
    line_id: Id
    store_id: Id
    pickup_date: date
    reason: Reason = ""


class RescheduleDelivery(OrderCommand):
    line_id: Id
    delivery_date: date
    window: Annotated[str, Field(pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$")]
    reason: Reason = ""


# --- the order as a whole -----------------------------------------------------------------


class ChangeAddress(OrderCommand):
    address: AddressModel
    reason: Reason = ""


class LineGiftIn(Model):
    line_id: Id
    gift_wrap: bool
    gift_message: Annotated[str, Field(max_length=500)] = ""


class ChangeGiftOptions(OrderCommand):
    is_gift: bool
    message: Annotated[str, Field(max_length=500)] = ""
    recipient: Annotated[str, Field(max_length=200)] = ""
    lines: Annotated[list[LineGiftIn], Field(max_length=100)] = []


class PaymentInstructionIn(Model):
    """A saved payment method of the customer (``payment_method_id``), or a new token.
    ``amount`` caps this method in a split; the one without an amount takes the rest."""

    payment_method_id: Id | None = None
    kind: PaymentKind = PaymentKind.CARD
    token: Annotated[str, Field(max_length=128)] = ""
    brand: Annotated[str, Field(max_length=32)] = "other"
    last4: Annotated[str, Field(pattern=r"^(\d{4})?$")] = ""
    exp_month: Annotated[int, Field(ge=1, le=12)] | None = None
    exp_year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    amount: Amount | None = None

    @model_validator(mode="after")
    def _method_or_token(self) -> Self:
        if self.payment_method_id is None and not self.token:
            raise ValueError("give a payment_method_id or a token")
        return self


class ChangePayment(OrderCommand):
    payments: Annotated[list[PaymentInstructionIn], Field(min_length=1, max_length=4)]
    reason: Reason = ""
    idempotency_key: IdempotencyKey | None = None


class SetConfirmationEmail(OrderCommand):
    """One-time override of the customer's confirmation e-mail preference (null: follow it)."""

    send: bool | None


class SetShipTogether(OrderCommand):
    ship_together: bool


class SetTaxExemption(OrderCommand):
    exempt: bool
    certificate: Annotated[str, Field(max_length=64)] = ""


class AddNote(OrderCommand):
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    email_customer: bool = False


# --- cancelling and holds ------------------------------------------------------------------


class CancelOrder(OrderCommand):
    reason: RequiredReason
    idempotency_key: IdempotencyKey | None = None


class CancelLine(OrderCommand):
    line_id: Id
    quantity: Quantity | None = None
    reason: RequiredReason
    idempotency_key: IdempotencyKey | None = None


class StopDelivery(OrderCommand):
    line_id: Id
    reason: RequiredReason


class ApplyHold(OrderCommand):
    type: HoldType
    reason: RequiredReason
    line_id: Id | None = None


class ResolveHold(OrderCommand):
    hold_id: Id
    note: Reason = ""


# --- money --------------------------------------------------------------------------------


class Appease(MoneyCommand):
    """A goodwill credit: an ``amount`` or a ``percent``, on a line or (no line) the order."""

    amount: Amount | None = None
    percent: Annotated[Decimal, Field(gt=0, le=100, decimal_places=2)] | None = None
    line_id: Id | None = None
    reason: AppeasementReason
    note: Reason = ""

    @model_validator(mode="after")
    def _amount_or_percent(self) -> Self:
        if (self.amount is None) == (self.percent is None):
            raise ValueError("give either amount or percent")
        return self


class PriceMatch(MoneyCommand):
    line_id: Id
    competitor: Annotated[str, Field(min_length=1, max_length=200)]
    competitor_price: Amount
    competitor_url: Annotated[str, Field(max_length=1000)] = ""


class ApplyCoupon(MoneyCommand):
    code: Annotated[str, Field(min_length=1, max_length=40)]


class RemoveCoupon(OrderCommand):
    code: Annotated[str, Field(min_length=1, max_length=40)]


class OverrideCharge(MoneyCommand):
    kind: ChargeKind
    amount: Amount
    reason: RequiredReason


class RequestApproval(Model):
    """Ask a lead to approve a money action that is above the asker's limit."""

    appeasement: Appease | None = None
    price_match: PriceMatch | None = None
    override_charge: OverrideCharge | None = None
    note: Reason = ""

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [x for x in (self.appeasement, self.price_match, self.override_charge) if x]
        if len(given) != 1:
            raise ValueError("give exactly one of appeasement, price_match, override_charge")
        return self


class DecideApproval(Model):
    note: Reason = ""


# --- fulfilment and returns ------------------------------------------------------------------


class ScheduleOrder(OrderCommand):
    pass


class ReleaseOrder(OrderCommand):
    pass


class CreateShipment(OrderCommand):
    line_ids: Annotated[list[Id], Field(min_length=1, max_length=100)]


class DispatchShipment(MoneyCommand):
    """The parcel leaves: its invoice is issued and charged."""

    shipment_id: Id
    carrier: Annotated[str, Field(min_length=1, max_length=64)]
    tracking_number: Annotated[str, Field(min_length=1, max_length=64)]
    service: Annotated[str, Field(max_length=64)] = "ground"
    expected_delivery: date | None = None


class TrackingEvent(OrderCommand):
    shipment_id: Id
    status: ShipmentStatus
    description: Annotated[str, Field(min_length=1, max_length=500)]
    location: Annotated[str, Field(max_length=200)] = ""
    expected_delivery: date | None = None


class Reship(MoneyCommand):
    line_id: Id
    quantity: Quantity | None = None
    reason: RequiredReason


class ReturnLineIn(Model):
    line_id: Id
    quantity: Quantity = 1
    reason: ReturnReason
    exchange_variant_id: Id | None = None


class CreateReturn(MoneyCommand):
    lines: Annotated[list[ReturnLineIn], Field(min_length=1, max_length=100)]
    note: Reason = ""


class ReceiveReturn(MoneyCommand):
    return_id: Id
