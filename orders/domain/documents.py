"""What an order accumulates after the sale: shipments with their tracking, invoices with
their adjustments, and return authorizations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from customers.kernel import ZERO, Address
from orders.domain.enums import ReturnReason, ReturnStatus, ShipmentStatus


@dataclass(slots=True)
class ShipmentLine:
    id: str
    line_id: str
    quantity: int


@dataclass(slots=True)
class ShipmentEvent:
    id: str
    at: datetime
    status: ShipmentStatus
    description: str
    location: str = ""


@dataclass(slots=True)
class Shipment:
    id: str
    number: str
    status: ShipmentStatus
    created_at: datetime
    carrier: str = ""
    service: str = ""
    tracking_number: str = ""
    ship_to: Address | None = None
    pickup_store_id: str | None = None
    expected_delivery: date | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    exception: str = ""
    is_reship: bool = False
    reason: str = ""
    lines: list[ShipmentLine] = field(default_factory=list)
    events: list[ShipmentEvent] = field(default_factory=list)

    @property
    def dispatched(self) -> bool:
        return self.status not in (ShipmentStatus.PACKING, ShipmentStatus.STOPPED)


@dataclass(slots=True)
class InvoiceLine:
    id: str
    line_id: str
    sku: str
    description: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax: Decimal
    total: Decimal


@dataclass(slots=True)
class InvoiceItem:
    """An order-level amount on an invoice: a charge (+), a discount (-) or tax on charges."""

    id: str
    kind: str
    code: str
    description: str
    amount: Decimal


@dataclass(slots=True)
class InvoiceAdjustment:
    id: str
    amount: Decimal
    reason: str
    created_at: datetime
    action: str = ""


@dataclass(slots=True)
class Invoice:
    id: str
    number: str
    shipment_id: str
    created_at: datetime
    merchandise: Decimal
    discounts: Decimal
    charges: Decimal
    tax: Decimal
    total: Decimal
    # The first invoice of an order carries its charges and order-level discounts.
    carries_order_items: bool = False
    lines: list[InvoiceLine] = field(default_factory=list)
    items: list[InvoiceItem] = field(default_factory=list)
    adjustments: list[InvoiceAdjustment] = field(default_factory=list)

    @property
    def adjusted_total(self) -> Decimal:
        return self.total + sum((a.amount for a in self.adjustments), ZERO)


@dataclass(slots=True)
class ReturnLine:
    id: str
    line_id: str
    quantity: int
    reason: ReturnReason
    exchange_variant_id: str | None = None
    exchange_line_id: str | None = None


@dataclass(slots=True)
class ReturnAuthorization:
    id: str
    number: str
    status: ReturnStatus
    created_at: datetime
    created_by: str
    note: str = ""
    received_at: datetime | None = None
    refund_amount: Decimal = ZERO
    lines: list[ReturnLine] = field(default_factory=list)
