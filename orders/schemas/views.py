"""What the order desk answers: orders with everything on them, summaries, history, records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from customers.kernel import Role
from customers.model import PaymentKind
from customers.schemas import AddressModel, CartView, CustomerView, Model, PageViewView
from orders.domain.approvals import ApprovalStatus
from orders.domain.enums import (
    Channel,
    ChargeKind,
    DiscountKind,
    Fulfilment,
    HoldStatus,
    HoldType,
    LineStatus,
    OrderStatus,
    ReturnReason,
    ReturnStatus,
    ShipmentStatus,
    Stage,
    TxKind,
)

# --- queries ------------------------------------------------------------------------------


class OrderQuery(Model):
    number: Annotated[str, Field(max_length=32)] | None = None
    status: OrderStatus | None = None
    customer_id: Annotated[str, Field(max_length=64)] | None = None
    customer_name: Annotated[str, Field(max_length=200)] | None = None
    email: Annotated[str, Field(max_length=320)] | None = None
    ship_to_name: Annotated[str, Field(max_length=200)] | None = None
    on_hold: bool | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class PriceMatchQuery(Model):
    competitor: Annotated[str, Field(max_length=200)] | None = None
    product_id: Annotated[str, Field(max_length=64)] | None = None
    sku: Annotated[str, Field(max_length=64)] | None = None
    order_number: Annotated[str, Field(max_length=32)] | None = None
    customer_id: Annotated[str, Field(max_length=64)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class ApprovalQuery(Model):
    status: ApprovalStatus | None = ApprovalStatus.PENDING
    order_number: Annotated[str, Field(max_length=32)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


# --- an order -----------------------------------------------------------------------------


class LineView(Model):
    id: str
    line_no: int
    product_id: str
    variant_id: str
    sku: str
    name: str
    size: str
    colour: str
    variant_label: str
    configuration: dict[str, str]
    quantity: int
    open_quantity: int
    cancelled_quantity: int
    returned_quantity: int
    exchanged_quantity: int
    unit_price: Decimal
    list_price: Decimal
    discount: Decimal
    net: Decimal
    order_discount_share: Decimal
    tax: Decimal
    total: Decimal
    status: LineStatus
    fulfilment: Fulfilment
    pickup_store_id: str | None
    pickup_date: date | None
    appointment_date: date | None
    appointment_window: str
    bulky: bool
    gift_wrap: bool
    gift_message: str
    on_hold: bool
    exchange_of_line_id: str | None
    cancel_reason: str
    # What a CSR may do to this line right now (each action's rule, tried).
    allowed_actions: list[str]


class ChargeView(Model):
    kind: ChargeKind
    amount: Decimal
    rule_amount: Decimal
    overridden: bool
    override_reason: str


class DiscountView(Model):
    id: str
    kind: DiscountKind
    line_id: str | None
    applied: Decimal
    amount: Decimal | None
    per_unit: Decimal | None
    percent: Decimal | None
    free_shipping: bool
    reason: str
    code: str
    reference: str
    created_by: str
    created_at: datetime


class PaymentView(Model):
    id: str
    seq: int
    kind: PaymentKind
    brand: str
    last4: str
    label: str
    payment_method_id: str | None
    max_amount: Decimal | None
    active: bool


class TransactionView(Model):
    id: str
    instruction_id: str
    kind: TxKind
    amount: Decimal
    created_at: datetime
    reference: str
    note: str


class HoldView(Model):
    id: str
    type: HoldType
    reason: str
    line_id: str | None
    status: HoldStatus
    needs_lead: bool
    created_by: str
    created_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str


class NoteView(Model):
    id: str
    text: str
    author_id: str
    author_name: str
    created_at: datetime
    emailed: bool


class ShipmentLineView(Model):
    line_id: str
    quantity: int


class ShipmentEventView(Model):
    at: datetime
    status: ShipmentStatus
    description: str
    location: str


class ShipmentView(Model):
    id: str
    number: str
    status: ShipmentStatus
    carrier: str
    service: str
    tracking_number: str
    ship_to: AddressModel | None
    pickup_store_id: str | None
    expected_delivery: date | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    exception: str
    is_reship: bool
    reason: str
    created_at: datetime
    lines: list[ShipmentLineView]
    events: list[ShipmentEventView]


class InvoiceLineView(Model):
    line_id: str
    sku: str
    description: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal


class InvoiceItemView(Model):
    kind: str
    code: str
    description: str
    amount: Decimal


class InvoiceAdjustmentView(Model):
    id: str
    amount: Decimal
    reason: str
    action: str
    created_at: datetime


class InvoiceView(Model):
    id: str
    number: str
    order_number: str
    shipment_id: str
    shipment_number: str
    created_at: datetime
    currency: str
    merchandise: Decimal
    discounts: Decimal
    charges: Decimal
    tax: Decimal
    total: Decimal
    adjusted_total: Decimal
    bill_to: AddressModel | None
    lines: list[InvoiceLineView]
    items: list[InvoiceItemView]
    adjustments: list[InvoiceAdjustmentView]


class ReturnLineView(Model):
    line_id: str
    quantity: int
    reason: ReturnReason
    exchange_variant_id: str | None
    exchange_line_id: str | None


class ReturnView(Model):
    id: str
    number: str
    status: ReturnStatus
    created_at: datetime
    created_by: str
    received_at: datetime | None
    refund_amount: Decimal
    note: str
    lines: list[ReturnLineView]


class TotalsView(Model):
    merchandise: Decimal
    line_discounts: Decimal
    order_discounts: Decimal
    charges: Decimal
    charge_discounts: Decimal
    charges_tax: Decimal
    tax: Decimal
    grand_total: Decimal
    authorized: Decimal
    charged: Decimal
    refunded: Decimal
    paid: Decimal
    balance_due: Decimal


class GiftView(Model):
    is_gift: bool
    message: str
    recipient: str


class OrderView(Model):
    id: str
    number: str
    version: int
    stage: Stage
    status: OrderStatus
    channel: Channel
    currency: str
    customer_id: str | None
    customer_name: str
    email: str
    phone: str
    ship_to: AddressModel | None
    bill_to: AddressModel | None
    lines: list[LineView]
    charges: list[ChargeView]
    discounts: list[DiscountView]
    totals: TotalsView
    payments: list[PaymentView]
    transactions: list[TransactionView]
    on_hold: bool
    holds: list[HoldView]
    notes: list[NoteView]
    shipments: list[ShipmentView]
    invoices: list[InvoiceView]
    returns: list[ReturnView]
    gift: GiftView
    ship_together: bool
    confirmation_email: bool | None
    tax_exempt: bool
    tax_exemption_id: str
    source_cart_id: str | None
    copied_from: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime | None
    quote_expires_at: datetime | None
    # Things the caller should know that did not stop the action (a line not copied...).
    warnings: list[str] = []


class OrderSummaryView(Model):
    id: str
    number: str
    status: OrderStatus
    channel: str
    customer_id: str | None
    customer_name: str
    email: str
    ship_to_name: str
    on_hold: bool
    grand_total: Decimal
    balance_due: Decimal
    currency: str
    created_at: datetime
    updated_at: datetime
    version: int


class HeldOrderView(Model):
    order: OrderSummaryView
    holds: list[HoldView]


class ChangeView(Model):
    version: int
    at: datetime
    actor_id: str
    actor_name: str
    actor_role: str
    action: str
    summary: str
    reason: str
    approved_by: str | None


class PriceMatchView(Model):
    id: str
    order_number: str
    customer_id: str | None
    line_id: str
    product_id: str
    variant_id: str
    sku: str
    product_name: str
    competitor: str
    competitor_price: Decimal
    competitor_url: str
    our_price: Decimal
    currency: str
    created_by: str
    approved_by: str | None
    created_at: datetime


class ApprovalView(Model):
    id: str
    order_number: str
    action: str
    request: dict[str, Any]
    note: str
    status: ApprovalStatus
    requested_by_id: str
    requested_by_name: str
    requested_by_role: Role
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    result_version: int | None


class PurchaseHistoryView(Model):
    customer_id: str
    order_count: int
    lifetime_spend: Decimal
    currency: str
    orders: list[OrderSummaryView]


class CustomerPanelView(Model):
    """What a CSR sees beside a conversation: who it is, their orders, cart and trail."""

    customer: CustomerView | None
    orders: list[OrderSummaryView]
    cart: CartView | None
    trail: list[PageViewView]
