"""Money given back or taken off: appeasements, price matches, coupons, charge overrides.

Each checks the acting role's limit (or the approving lead's) before it changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from customers.errors import InvalidInput
from customers.kernel import ZERO, Actor, money, new_id
from orders.catalog.model import Promotion, PromotionKind
from orders.domain.enums import AppeasementReason, ChargeKind, DiscountKind, LineStatus
from orders.domain.limits import check_appeasement, check_charge_reduction, check_price_floor
from orders.domain.model import Discount, Order, OrderLine
from orders.domain.rules import ensure_open, ensure_placed, line_facts, refuse

_NOT_ADJUSTABLE = frozenset({LineStatus.CANCELLED, LineStatus.RETURNED})


def _adjustable_line(order: Order, line_id: str, what: str) -> OrderLine:
    line = order.line(line_id)
    if line.status in _NOT_ADJUSTABLE or line.billable_quantity == 0:
        raise refuse(
            "line_not_adjustable",
            f"Line {line.line_no} ({line.sku}) is {line.status.value}: no {what} applies to it.",
            **line_facts(line),
        )
    return line


def appease(
    order: Order,
    *,
    amount: Decimal | None,
    percent: Decimal | None,
    line_id: str | None,
    reason: AppeasementReason,
    note: str,
    actor: Actor,
    authority: Actor,
    at: datetime,
) -> Discount:
    """A goodwill credit on a line or on the order, as an amount or a percentage."""
    ensure_placed(order, "give an appeasement")
    if (amount is None) == (percent is None):
        raise InvalidInput("Give either an amount or a percentage.", code="invalid_amount")
    if line_id is not None:
        line = _adjustable_line(order, line_id, "appeasement")
        base = line.net
        target = f"line {line.line_no}"
    else:
        # What the customer pays before tax, after every discount so far.
        base = order.totals.grand_total - order.totals.tax
        target = "the order"
    value = money(amount) if amount is not None else money(base * (percent or ZERO) / 100)
    if value <= 0:
        raise InvalidInput("An appeasement must be worth something.", code="invalid_amount")
    if value > base:
        raise InvalidInput(
            f"An appeasement of {value} is more than {target} is worth now ({base}).",
            code="appeasement_exceeds_value",
            details={"requested": str(value), "available": str(base)},
        )
    check_appeasement(authority, value, base)
    discount = Discount(
        id=new_id("dsc"),
        kind=DiscountKind.APPEASEMENT,
        created_at=at,
        created_by=actor.id,
        line_id=line_id,
        amount=value,
        reason=note,
        code=reason.value,
        reference=f"{percent}%" if percent is not None else "",
    )
    order.discounts.append(discount)
    return discount


@dataclass(frozen=True, slots=True)
class PriceMatchRecord:
    """A searchable record of a price match: what a competitor charged, and what we did."""

    id: str
    order_id: str
    order_number: str
    customer_id: str | None
    line_id: str
    product_id: str
    variant_id: str
    sku: str
    product_name: str
    competitor: str
    competitor_price: Decimal
    our_price: Decimal
    currency: str
    created_by: str
    created_at: datetime
    competitor_url: str = ""
    approved_by: str | None = None


def price_match(
    order: Order,
    line_id: str,
    *,
    competitor: str,
    competitor_price: Decimal,
    competitor_url: str,
    actor: Actor,
    authority: Actor,
    at: datetime,
) -> PriceMatchRecord:
    ensure_open(order)
    line = _adjustable_line(order, line_id, "price match")
    if any(d.kind is DiscountKind.PRICE_MATCH and d.line_id == line.id for d in order.discounts):
        raise refuse(
            "already_price_matched",
            f"Line {line.line_no} ({line.sku}) is already price matched.",
            **line_facts(line),
        )
    price = money(competitor_price)
    if price <= 0:
        raise InvalidInput("The competitor's price must be positive.", code="invalid_amount")
    current = line.unit_price
    if price >= current:
        raise InvalidInput(
            f"{competitor} charges {price}, not less than our {current}: nothing to match.",
            code="price_match_not_lower",
            details={"competitor_price": str(price), "our_price": str(current)},
        )
    check_price_floor(authority, price, current)
    record = PriceMatchRecord(
        id=new_id("pm"),
        order_id=order.id,
        order_number=order.number,
        customer_id=order.customer_id,
        line_id=line.id,
        product_id=line.product_id,
        variant_id=line.variant_id,
        sku=line.sku,
        product_name=line.name,
        competitor=competitor.strip(),
        competitor_price=price,
        our_price=current,
        currency=order.currency,
        created_by=actor.id,
        created_at=at,
        competitor_url=competitor_url,
        approved_by=authority.id if authority is not actor else None,
    )
    order.discounts.append(
        Discount(
            id=new_id("dsc"),
            kind=DiscountKind.PRICE_MATCH,
            created_at=at,
            created_by=actor.id,
            line_id=line.id,
            per_unit=current - price,
            reason=f"Price match with {record.competitor} at {price}",
            code=record.competitor,
            reference=record.id,
        )
    )
    return record


def apply_coupon(order: Order, promotion: Promotion, actor: Actor, at: datetime) -> Discount:
    ensure_open(order)
    code = promotion.code.upper()
    if any(d.kind is DiscountKind.COUPON and d.code == code for d in order.discounts):
        raise refuse(
            "coupon_already_applied", f"The code {code} is already on this order.", coupon=code
        )
    merchandise = sum((line.net for line in order.lines), ZERO)
    promotion.check_applicable(merchandise, at)
    discount = Discount(
        id=new_id("dsc"),
        kind=DiscountKind.COUPON,
        created_at=at,
        created_by=actor.id,
        code=code,
        reason=promotion.description,
        reference=code,
    )
    if promotion.kind is PromotionKind.PERCENT:
        discount.percent = promotion.value
    elif promotion.kind is PromotionKind.AMOUNT:
        discount.amount = money(promotion.value)
    else:
        discount.free_shipping = True
    order.discounts.append(discount)
    return discount


def remove_coupon(order: Order, code: str) -> None:
    ensure_open(order)
    found = [d for d in order.discounts if d.kind is DiscountKind.COUPON and d.code == code.upper()]
    if not found:
        raise refuse("coupon_not_applied", f"The code {code} is not on this order.", coupon=code)
    order.discounts = [d for d in order.discounts if d not in found]


def override_charge(
    order: Order,
    kind: ChargeKind,
    amount: Decimal,
    reason: str,
    *,
    authority: Actor,
) -> Decimal:
    """Set a charge by hand (waive shipping, say). Returns the previous amount."""
    ensure_open(order)
    charge = order.charge(kind)
    new_amount = money(amount)
    if new_amount < 0:
        raise InvalidInput("A charge cannot be negative.", code="invalid_amount")
    if new_amount == charge.amount:
        raise refuse(
            "no_change", f"The {kind.value} charge is already {new_amount}.", kind=kind.value
        )
    if not any(line.open_quantity > 0 for line in order.active_lines):
        raise refuse("nothing_to_charge", f"Order {order.number} has nothing left to charge for.")
    reduction = charge.amount - new_amount
    if reduction > 0:
        check_charge_reduction(authority, reduction)
    previous = charge.amount
    charge.amount = new_amount
    charge.overridden = True
    charge.override_reason = reason
    return previous
