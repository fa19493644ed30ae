"""The order aggregate: an order with its lines, money, holds, shipments, invoices and returns.

Everything an order owns is loaded and saved with it, so every rule can be checked on one
object and every change lands as one new version. Amounts computed by pricing (line net, tax,
totals) are kept on the objects so that what was shown is what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from customers.errors import NotFound
from customers.kernel import ZERO, Address, DomainEvent
from customers.model import PaymentKind
from orders.domain.documents import Invoice, ReturnAuthorization, Shipment
from orders.domain.enums import (
    Channel,
    ChargeKind,
    DiscountKind,
    Fulfilment,
    HoldStatus,
    HoldType,
    LineStatus,
    OrderStatus,
    Stage,
    TxKind,
)


@dataclass(slots=True)
class OrderLine:
    id: str
    line_no: int
    product_id: str
    variant_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    list_price: Decimal
    size: str = ""
    colour: str = ""
    configuration: dict[str, str] = field(default_factory=dict)
    status: LineStatus = LineStatus.CREATED
    cancelled_quantity: int = 0
    returned_quantity: int = 0
    # Sent back for another item: still paid for, the replacement rides on a free line.
    exchanged_quantity: int = 0
    fulfilment: Fulfilment = Fulfilment.SHIP
    pickup_store_id: str | None = None
    pickup_address: Address | None = None
    pickup_date: date | None = None
    appointment_date: date | None = None
    appointment_window: str = ""
    bulky: bool = False
    gift_wrap: bool = False
    gift_message: str = ""
    # Where the units are held for this line (a warehouse, or the pickup store).
    reserved_location_id: str | None = None
    reserved_quantity: int = 0
    # The line this one replaces in an exchange (it is then free of charge).
    exchange_of_line_id: str | None = None
    cancel_reason: str = ""
    # Computed by pricing.
    discount: Decimal = ZERO
    net: Decimal = ZERO
    order_discount_share: Decimal = ZERO
    tax: Decimal = ZERO
    total: Decimal = ZERO

    @property
    def open_quantity(self) -> int:
        """Units still ordered: neither cancelled nor sent back."""
        return (
            self.quantity
            - self.cancelled_quantity
            - self.returned_quantity
            - self.exchanged_quantity
        )

    @property
    def billable_quantity(self) -> int:
        return self.quantity - self.cancelled_quantity - self.returned_quantity

    @property
    def gross(self) -> Decimal:
        return self.unit_price * self.billable_quantity

    @property
    def is_active(self) -> bool:
        return self.status is not LineStatus.CANCELLED

    @property
    def variant_label(self) -> str:
        return " / ".join(p for p in (self.size, self.colour) if p) or "standard"


@dataclass(slots=True)
class Charge:
    id: str
    kind: ChargeKind
    amount: Decimal = ZERO
    # What the pricing rule says; differs from ``amount`` when a CSR overrode it.
    rule_amount: Decimal = ZERO
    overridden: bool = False
    override_reason: str = ""


@dataclass(slots=True)
class Discount:
    id: str
    kind: DiscountKind
    created_at: datetime
    created_by: str
    line_id: str | None = None
    # Exactly one of these says how much: a fixed amount, an amount per unit (follows the
    # quantity), or a percentage (of the line, or of the order's merchandise).
    amount: Decimal | None = None
    per_unit: Decimal | None = None
    percent: Decimal | None = None
    reason: str = ""
    code: str = ""
    reference: str = ""
    free_shipping: bool = False
    # Computed by pricing: what the discount is worth now, capped by what it applies to.
    applied: Decimal = ZERO


@dataclass(slots=True)
class PaymentInstruction:
    id: str
    seq: int
    kind: PaymentKind
    token: str
    brand: str
    last4: str
    payment_method_id: str | None = None
    # The most this method may carry in a split payment; None takes the remainder.
    max_amount: Decimal | None = None
    active: bool = True

    def label(self) -> str:
        return f"{self.brand} ending {self.last4}" if self.last4 else self.kind.value


@dataclass(slots=True)
class PaymentTransaction:
    id: str
    instruction_id: str
    kind: TxKind
    amount: Decimal
    created_at: datetime
    reference: str = ""
    note: str = ""


@dataclass(slots=True)
class Hold:
    id: str
    type: HoldType
    reason: str
    created_by: str
    created_at: datetime
    line_id: str | None = None
    status: HoldStatus = HoldStatus.ACTIVE
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    resolution: str = ""

    @property
    def active(self) -> bool:
        return self.status is HoldStatus.ACTIVE


@dataclass(slots=True)
class OrderNote:
    id: str
    text: str
    author_id: str
    author_name: str
    created_at: datetime
    emailed: bool = False


@dataclass(slots=True)
class GiftOptions:
    is_gift: bool = False
    message: str = ""
    recipient: str = ""


@dataclass(slots=True)
class Totals:
    merchandise: Decimal = ZERO
    line_discounts: Decimal = ZERO
    order_discounts: Decimal = ZERO
    charges: Decimal = ZERO
    # The part of the order-level discounts that came off the charges (free shipping...).
    charge_discounts: Decimal = ZERO
    charges_tax: Decimal = ZERO
    tax: Decimal = ZERO
    grand_total: Decimal = ZERO
    authorized: Decimal = ZERO
    charged: Decimal = ZERO
    refunded: Decimal = ZERO
    balance_due: Decimal = ZERO

    @property
    def paid(self) -> Decimal:
        return self.charged - self.refunded


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One version of an order: who did what, when, why."""

    version: int
    at: datetime
    actor_id: str
    actor_name: str
    actor_role: str
    action: str
    summary: str
    reason: str = ""
    approved_by: str | None = None


@dataclass
class Order:
    id: str
    number: str
    channel: Channel
    currency: str
    created_at: datetime
    updated_at: datetime
    created_by: str
    stage: Stage = Stage.DRAFT
    status: OrderStatus = OrderStatus.DRAFT
    customer_id: str | None = None
    customer_name: str = ""
    email: str = ""
    phone: str = ""
    ship_to: Address | None = None
    bill_to: Address | None = None
    gift: GiftOptions = field(default_factory=GiftOptions)
    ship_together: bool = False
    # One-time override of the customer's confirmation e-mail preference (None: follow it).
    confirmation_email: bool | None = None
    tax_exempt: bool = False
    tax_exemption_id: str = ""
    source_cart_id: str | None = None
    copied_from: str | None = None
    confirmed_at: datetime | None = None
    quote_expires_at: datetime | None = None
    # Merchandise total when placed: the free-shipping threshold never moves against the
    # customer because a line was cancelled later.
    placed_merchandise: Decimal | None = None
    lines: list[OrderLine] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    discounts: list[Discount] = field(default_factory=list)
    payments: list[PaymentInstruction] = field(default_factory=list)
    transactions: list[PaymentTransaction] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    notes: list[OrderNote] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    returns: list[ReturnAuthorization] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    version: int = 1
    loaded_version: int = 0
    # Not stored with the order: what this change adds to its history, events, e-mails.
    changes: list[ChangeRecord] = field(default_factory=list)
    events: list[DomainEvent] = field(default_factory=list)

    # --- lookups --------------------------------------------------------------------------

    def line(self, line_id: str) -> OrderLine:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise NotFound("order line", line_id)

    def hold(self, hold_id: str) -> Hold:
        for hold in self.holds:
            if hold.id == hold_id:
                return hold
        raise NotFound("hold", hold_id)

    def shipment(self, shipment_id: str) -> Shipment:
        for shipment in self.shipments:
            if shipment.id == shipment_id or shipment.number == shipment_id:
                return shipment
        raise NotFound("shipment", shipment_id)

    def return_authorization(self, return_id: str) -> ReturnAuthorization:
        for rma in self.returns:
            if rma.id == return_id or rma.number == return_id:
                return rma
        raise NotFound("return", return_id)

    def charge(self, kind: ChargeKind) -> Charge:
        for charge in self.charges:
            if charge.kind is kind:
                return charge
        raise NotFound("charge", kind.value)

    @property
    def active_lines(self) -> list[OrderLine]:
        return [line for line in self.lines if line.is_active]

    @property
    def active_holds(self) -> list[Hold]:
        return [h for h in self.holds if h.active]

    @property
    def on_hold(self) -> bool:
        """Held as a whole (an order-level hold)."""
        return any(h.line_id is None for h in self.active_holds)

    def line_on_hold(self, line_id: str) -> bool:
        return self.on_hold or any(h.line_id == line_id for h in self.active_holds)

    @property
    def is_placed(self) -> bool:
        return self.stage is Stage.PLACED

    @property
    def is_draft_like(self) -> bool:
        return self.stage in (Stage.DRAFT, Stage.QUOTE)

    @property
    def ship_to_name(self) -> str:
        return self.ship_to.name if self.ship_to else ""

    def next_line_no(self) -> int:
        return max((line.line_no for line in self.lines), default=0) + 1

    def shipment_of_line(self, line_id: str) -> Shipment | None:
        """The latest shipment carrying the line."""
        found = [s for s in self.shipments if any(sl.line_id == line_id for sl in s.lines)]
        return found[-1] if found else None

    def invoice_of_line(self, line_id: str) -> Invoice | None:
        for invoice in self.invoices:
            if any(il.line_id == line_id for il in invoice.lines):
                return invoice
        return None
