"""Prices, charges, discounts, tax and totals, recomputed after every change.

Order of work: each line's gross, then its own discounts (in the order they were given, each
capped by what is left of the line), then order-level discounts, charges, and tax at the rate
of where the goods go (the ship-to address, or the pickup store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from customers.kernel import ZERO, Address, money
from orders.domain.enums import ChargeKind, Fulfilment, Stage
from orders.domain.model import Charge, Discount, Order, OrderLine

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class PricingRules:
    shipping_rate: Decimal = Decimal("7.95")
    free_shipping_threshold: Decimal = Decimal("100.00")
    # White-glove freight for bulky goods, per line.
    handling_per_bulky_line: Decimal = Decimal("25.00")
    gift_wrap_per_line: Decimal = Decimal("5.00")
    # Sales tax by US state (the demo region and its neighbours).
    tax_rates: dict[str, Decimal] = field(
        default_factory=lambda: {
            "MA": Decimal("0.0625"),
            "RI": Decimal("0.07"),
            "CT": Decimal("0.0635"),
            "NY": Decimal("0.04"),
            "NH": Decimal("0"),
            "VT": Decimal("0.06"),
            "ME": Decimal("0.055"),
        }
    )

    def tax_rate(self, address: Address | None) -> Decimal:
        if address is None or address.country != "US":
            return ZERO
        return self.tax_rates.get(address.region.upper(), ZERO)


RULES = PricingRules()


def _discount_value(discount: Discount, base: Decimal, units: int) -> Decimal:
    if discount.per_unit is not None:
        return money(discount.per_unit * units)
    if discount.percent is not None:
        return money(base * discount.percent / HUNDRED)
    return discount.amount or ZERO


def _price_line(line: OrderLine, discounts: list[Discount]) -> None:
    gross = money(line.gross) if line.is_active else ZERO
    left = gross
    for discount in discounts:
        value = _discount_value(discount, gross, line.billable_quantity if line.is_active else 0)
        discount.applied = min(value, left)
        left -= discount.applied
    line.discount = gross - left
    line.net = left


def _rule_charges(order: Order, rules: PricingRules) -> dict[ChargeKind, Decimal]:
    active = [line for line in order.active_lines if line.open_quantity > 0]
    shipped = [line for line in active if line.fulfilment is Fulfilment.SHIP]
    merchandise = sum((line.net for line in order.active_lines), ZERO)
    basis = max(merchandise, order.placed_merchandise or ZERO)
    shipping = ZERO
    if shipped and basis < rules.free_shipping_threshold:
        shipping = rules.shipping_rate
    handling = rules.handling_per_bulky_line * len([line for line in shipped if line.bulky])
    gift_wrap = rules.gift_wrap_per_line * len([line for line in active if line.gift_wrap])
    return {
        ChargeKind.SHIPPING: money(shipping),
        ChargeKind.HANDLING: money(handling),
        ChargeKind.GIFT_WRAP: money(gift_wrap),
    }


def _update_charges(order: Order, rules: PricingRules, id_prefix: str) -> None:
    amounts = _rule_charges(order, rules)
    nothing_left = not any(line.open_quantity > 0 for line in order.active_lines)
    existing = {charge.kind: charge for charge in order.charges}
    for kind, amount in amounts.items():
        charge = existing.get(kind)
        if charge is None:
            charge = Charge(id=f"{id_prefix}-{kind.value}", kind=kind)
            order.charges.append(charge)
        charge.rule_amount = amount
        if nothing_left:
            # A fully cancelled order charges nothing, overridden or not.
            charge.amount = ZERO
        elif not charge.overridden:
            charge.amount = amount


def _allocate(amount: Decimal, lines: list[OrderLine]) -> None:
    """Spread an order-level discount over lines in proportion to their net (for tax)."""
    for line in lines:
        line.order_discount_share = ZERO
    weighted = [line for line in lines if line.net > 0]
    base = sum((line.net for line in weighted), ZERO)
    if amount <= 0 or base <= 0:
        return
    left = amount
    for line in weighted[:-1]:
        share = min(money(amount * line.net / base), left)
        line.order_discount_share = share
        left -= share
    weighted[-1].order_discount_share = min(left, weighted[-1].net)


def line_tax_address(order: Order, line: OrderLine) -> Address | None:
    if line.fulfilment is Fulfilment.PICKUP and line.pickup_address is not None:
        return line.pickup_address
    return order.ship_to


def recalculate(order: Order, rules: PricingRules = RULES) -> None:
    line_discounts: dict[str, list[Discount]] = {}
    for discount in order.discounts:
        if discount.line_id is not None:
            line_discounts.setdefault(discount.line_id, []).append(discount)
    for line in order.lines:
        _price_line(line, line_discounts.get(line.id, []))
    merchandise_net = sum((line.net for line in order.lines), ZERO)

    _update_charges(order, rules, order.id)
    charges_total = sum((c.amount for c in order.charges), ZERO)

    # Order-level discounts: merchandise first, any excess (and free shipping) off the charges.
    left_merch, left_charges = merchandise_net, charges_total
    for discount in (d for d in order.discounts if d.line_id is None):
        if discount.free_shipping:
            shipping = order.charge(ChargeKind.SHIPPING).amount
            discount.applied = min(shipping, left_charges)
            left_charges -= discount.applied
            continue
        value = _discount_value(discount, merchandise_net, 0)
        from_merch = min(value, left_merch)
        from_charges = min(value - from_merch, left_charges)
        discount.applied = from_merch + from_charges
        left_merch -= from_merch
        left_charges -= from_charges
    _allocate(merchandise_net - left_merch, order.lines)

    exempt = order.tax_exempt
    tax_total = ZERO
    for line in order.lines:
        taxable = line.net - line.order_discount_share
        rate = ZERO if exempt else rules.tax_rate(line_tax_address(order, line))
        line.tax = money(taxable * rate)
        line.total = taxable + line.tax
        tax_total += line.tax
    charges_tax = ZERO if exempt else money(left_charges * rules.tax_rate(order.ship_to))
    tax_total += charges_tax

    totals = order.totals
    totals.merchandise = money(sum((money(line.gross) for line in order.active_lines), ZERO))
    totals.line_discounts = sum((line.discount for line in order.lines), ZERO)
    totals.order_discounts = sum((d.applied for d in order.discounts if d.line_id is None), ZERO)
    totals.charges = charges_total
    totals.charge_discounts = charges_total - left_charges
    totals.charges_tax = charges_tax
    totals.tax = tax_total
    totals.grand_total = (
        sum((line.total for line in order.lines), ZERO) + left_charges + (charges_tax)
    )
    if order.stage is not Stage.PLACED:
        totals.balance_due = totals.grand_total


def order_level_total(order: Order) -> Decimal:
    """What the order's own items (charges, order discounts beyond merchandise, tax on
    charges) add up to: the part of the total that no line carries."""
    return order.totals.grand_total - sum((line.total for line in order.lines), ZERO)
