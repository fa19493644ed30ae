"""Charges, discounts, tax and totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from orders.domain.enums import ChargeKind, DiscountKind, Fulfilment, LineStatus
from orders.domain.model import Discount
from orders.domain.pricing import recalculate
from tests.unit.orders.domain_factory import MA, NH, NOW, line, order


def charges(o: object) -> dict[str, str]:
    return {c.kind.value: str(c.amount) for c in o.charges}  # type: ignore[attr-defined]


def test_small_orders_pay_shipping_and_massachusetts_tax() -> None:
    o = order(line(1, "40.00"))
    recalculate(o)
    assert charges(o) == {"shipping": "7.95", "handling": "0.00", "gift_wrap": "0.00"}
    # 6.25% of 40.00 on the line, 6.25% of 7.95 (0.50) on shipping.
    assert o.lines[0].tax == Decimal("2.50")
    assert o.totals.charges_tax == Decimal("0.50")
    assert o.totals.grand_total == Decimal("50.95")


def test_free_shipping_from_the_threshold_and_no_tax_in_new_hampshire() -> None:
    o = order(line(1, "60.00"), line(2, "40.00"), ship_to=NH)
    recalculate(o)
    assert charges(o)["shipping"] == "0.00"
    assert o.totals.tax == Decimal("0.00")
    assert o.totals.grand_total == Decimal("100.00")


def test_bulky_goods_pay_handling_and_wrapped_lines_pay_gift_wrap() -> None:
    o = order(line(1, "900.00", bulky=True), line(2, "20.00", gift_wrap=True))
    recalculate(o)
    assert charges(o) == {"shipping": "0.00", "handling": "25.00", "gift_wrap": "5.00"}


def test_pickup_lines_are_taxed_where_they_are_collected_and_ship_nothing() -> None:
    o = order(line(1, "50.00", fulfilment=Fulfilment.PICKUP, pickup_address=NH), ship_to=MA)
    recalculate(o)
    assert charges(o)["shipping"] == "0.00"
    assert o.totals.tax == Decimal("0.00")


def test_tax_exemption() -> None:
    o = order(line(1, "50.00"))
    o.tax_exempt = True
    recalculate(o)
    assert o.totals.tax == Decimal("0.00")


def test_line_discounts_apply_in_order_and_never_below_zero() -> None:
    o = order(line(1, "30.00", quantity=2))
    o.discounts = [
        Discount("d1", DiscountKind.PRICE_MATCH, NOW, "a1", line_id="ln1", per_unit=Decimal("5")),
        Discount("d2", DiscountKind.APPEASEMENT, NOW, "a1", line_id="ln1", amount=Decimal("100")),
    ]
    recalculate(o)
    assert [d.applied for d in o.discounts] == [Decimal("10.00"), Decimal("50.00")]
    assert o.lines[0].net == Decimal("0.00")


def test_a_per_unit_discount_follows_the_quantity() -> None:
    o = order(line(1, "30.00", quantity=3))
    o.discounts = [
        Discount("d1", DiscountKind.PRICE_MATCH, NOW, "a1", line_id="ln1", per_unit=Decimal("4"))
    ]
    recalculate(o)
    assert o.lines[0].discount == Decimal("12.00")
    o.lines[0].cancelled_quantity = 2
    recalculate(o)
    assert o.lines[0].discount == Decimal("4.00")


def test_order_discounts_spread_over_lines_for_tax_and_then_come_off_charges() -> None:
    o = order(line(1, "30.00"), line(2, "10.00"))
    o.discounts = [
        Discount("d1", DiscountKind.APPEASEMENT, NOW, "a1", amount=Decimal("45.00")),
    ]
    recalculate(o)
    # 40.00 of merchandise absorbs 40.00; the other 5.00 comes off the 7.95 shipping.
    assert [ln.order_discount_share for ln in o.lines] == [Decimal("30.00"), Decimal("10.00")]
    assert o.totals.charge_discounts == Decimal("5.00")
    assert o.totals.tax == Decimal("0.18")  # 6.25% of the 2.95 of shipping left
    assert o.totals.grand_total == Decimal("3.13")


def test_percent_coupon_and_free_shipping_coupon() -> None:
    o = order(line(1, "50.00"))
    o.discounts = [
        Discount("d1", DiscountKind.COUPON, NOW, "a1", percent=Decimal("10"), code="SPRING10"),
        Discount("d2", DiscountKind.COUPON, NOW, "a1", free_shipping=True, code="SHIPFREE"),
    ]
    recalculate(o)
    assert [d.applied for d in o.discounts] == [Decimal("5.00"), Decimal("7.95")]
    assert o.totals.grand_total == Decimal("47.81")  # 45.00 + 2.81 tax


def test_an_overridden_charge_keeps_its_amount_until_nothing_is_left() -> None:
    o = order(line(1, "40.00"))
    recalculate(o)
    shipping = o.charge(ChargeKind.SHIPPING)
    shipping.amount, shipping.overridden = Decimal("0.00"), True
    recalculate(o)
    assert shipping.amount == Decimal("0.00") and shipping.rule_amount == Decimal("7.95")
    o.lines[0].status = LineStatus.CANCELLED
    o.lines[0].cancelled_quantity = 1
    recalculate(o)
    assert o.totals.grand_total == Decimal("0.00")


def test_free_shipping_earned_when_placed_is_kept_after_a_cancellation() -> None:
    o = order(line(1, "80.00"), line(2, "40.00"), placed=True)
    o.placed_merchandise = Decimal("120.00")
    o.lines[0].cancelled_quantity = 1
    o.lines[0].status = LineStatus.CANCELLED
    recalculate(o)
    assert o.charge(ChargeKind.SHIPPING).amount == Decimal("0.00")
    assert date(2026, 1, 1)  # pickup dates etc. play no part here
