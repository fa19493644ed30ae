"""Authorizations, charges and refunds follow the order total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customers.errors import DomainError
from customers.model import PaymentKind
from orders.domain import invoicing, payments
from orders.domain.documents import Shipment, ShipmentLine
from orders.domain.enums import ShipmentStatus, TxKind
from orders.domain.model import Order, PaymentInstruction
from orders.domain.pricing import recalculate
from tests.unit.orders.domain_factory import NH, NOW, line, order


def placed(total: str) -> Order:
    o = order(line(1, total), placed=True, ship_to=NH)
    # Placed at that total: free shipping was earned, later price changes keep it.
    o.placed_merchandise = Decimal(total)
    recalculate(o)
    return o


def invoice_everything(o: Order) -> None:
    """The whole order ships: its invoice is issued and charged."""
    shipment = Shipment(
        "s1",
        "SH1",
        ShipmentStatus.SHIPPED,
        NOW,
        lines=[ShipmentLine(f"sl{ln.id}", ln.id, ln.open_quantity) for ln in o.lines],
    )
    o.shipments.append(shipment)
    invoice = invoicing.create_invoice(o, shipment, "IN1", NOW)
    payments.capture(o, invoice.total, NOW, "invoice IN1")


def txs(o: Order) -> list[tuple[str, str, str]]:
    return [(t.instruction_id, t.kind.value, str(t.amount)) for t in o.transactions]


def test_placing_authorizes_the_total_and_lowering_it_voids_the_rest() -> None:
    o = placed("100.00")
    payments.reconcile(o, NOW, "placed")
    o.lines[0].unit_price = Decimal("70.00")
    recalculate(o)
    payments.reconcile(o, NOW, "price down")
    assert txs(o) == [("pi1", "authorization", "100.00"), ("pi1", "void", "30.00")]
    assert o.totals.authorized == Decimal("70.00")
    assert o.totals.balance_due == Decimal("70.00")


def test_an_invoice_credited_later_is_refunded() -> None:
    o = placed("100.00")
    payments.reconcile(o, NOW, "placed")
    invoice_everything(o)
    o.lines[0].unit_price = Decimal("80.00")
    recalculate(o)
    invoicing.sync_adjustments(o, NOW, "price adjusted", "appeasement")
    payments.reconcile(o, NOW, "appeasement")
    assert txs(o)[-1] == ("pi1", "refund", "20.00")
    assert (o.totals.charged, o.totals.refunded, o.totals.paid) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("80.00"),
    )
    assert o.totals.balance_due == Decimal("0.00")


def test_a_split_fills_the_capped_method_first_and_refunds_the_other_way() -> None:
    o = placed("100.00")
    o.payments = [
        PaymentInstruction(
            "gift", 1, PaymentKind.GIFT_CARD, "gc", "gift_card", "9911", max_amount=Decimal("30.00")
        ),
        PaymentInstruction("card", 2, PaymentKind.CARD, "tok", "visa", "4242"),
    ]
    payments.reconcile(o, NOW, "placed")
    assert txs(o) == [("gift", "authorization", "30.00"), ("card", "authorization", "70.00")]
    invoice_everything(o)
    assert txs(o)[2:] == [("gift", "charge", "30.00"), ("card", "charge", "70.00")]
    o.lines[0].unit_price = Decimal("50.00")
    recalculate(o)
    invoicing.sync_adjustments(o, NOW, "price adjusted", "appeasement")
    payments.reconcile(o, NOW, "appeasement")
    assert txs(o)[-1] == ("card", "refund", "50.00")


def test_what_is_not_invoiced_stays_authorized_not_refunded() -> None:
    o = order(line(1, "60.00"), line(2, "40.00"), placed=True, ship_to=NH)
    o.placed_merchandise = Decimal("100.00")
    recalculate(o)
    payments.reconcile(o, NOW, "placed")
    o.lines[1].cancelled_quantity = 1
    recalculate(o)
    payments.reconcile(o, NOW, "cancel line")
    assert txs(o) == [("pi1", "authorization", "100.00"), ("pi1", "void", "40.00")]
    assert o.totals.refunded == Decimal("0.00")


def test_a_replaced_method_keeps_nothing_open() -> None:
    o = placed("100.00")
    payments.reconcile(o, NOW, "placed")
    o.payments[0].active = False
    o.payments.append(PaymentInstruction("pi2", 2, PaymentKind.CARD, "tok2", "amex", "0005"))
    payments.reconcile(o, NOW, "new card")
    assert txs(o)[1:] == [("pi1", "void", "100.00"), ("pi2", "authorization", "100.00")]


def test_capped_methods_that_cannot_carry_the_total_are_refused() -> None:
    o = placed("100.00")
    o.payments = [
        PaymentInstruction(
            "gift", 1, PaymentKind.GIFT_CARD, "gc", "gift_card", "9911", max_amount=Decimal("30.00")
        ),
    ]
    with pytest.raises(DomainError) as refused:
        payments.check_split(o)
    assert refused.value.code == "payment_insufficient"
    with pytest.raises(DomainError):
        payments.reconcile(o, NOW, "placed")


def test_drafts_move_no_money() -> None:
    o = order(line(1, "10.00"))
    recalculate(o)
    payments.reconcile(o, NOW, "draft")
    assert o.transactions == []
    assert o.totals.balance_due == o.totals.grand_total
    assert all(t.kind is not TxKind.CHARGE for t in o.transactions)
