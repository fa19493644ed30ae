"""Payment transactions follow the order and its invoices.

An invoice (issued when a shipment leaves) is charged; whatever is not invoiced yet is held by
an open authorization. After every change to a placed order the two are brought in line: a
credit on an invoice is refunded, the authorization grows or is partly voided. A split payment
fills its methods in order, each up to its ``max_amount``; voids and refunds go back the other
way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from customers.errors import Refused
from customers.kernel import ZERO, new_id
from orders.domain.enums import TxKind
from orders.domain.model import Order, PaymentInstruction, PaymentTransaction


@dataclass(slots=True)
class _Ledger:
    authorized: Decimal = ZERO
    voided: Decimal = ZERO
    charged: Decimal = ZERO
    refunded: Decimal = ZERO

    @property
    def open_auth(self) -> Decimal:
        return max(ZERO, self.authorized - self.voided - self.charged)

    @property
    def exposure(self) -> Decimal:
        """What this method carries: open authorization plus what it paid, net of refunds."""
        return self.open_auth + self.charged - self.refunded

    @property
    def refundable(self) -> Decimal:
        return self.charged - self.refunded


def _ledgers(order: Order) -> dict[str, _Ledger]:
    ledgers = {p.id: _Ledger() for p in order.payments}
    for tx in order.transactions:
        ledger = ledgers.setdefault(tx.instruction_id, _Ledger())
        if tx.kind is TxKind.AUTHORIZATION:
            ledger.authorized += tx.amount
        elif tx.kind is TxKind.VOID:
            ledger.voided += tx.amount
        elif tx.kind is TxKind.CHARGE:
            ledger.charged += tx.amount
        else:
            ledger.refunded += tx.amount
    return ledgers


def _add(
    order: Order, p: PaymentInstruction, kind: TxKind, amount: Decimal, at: datetime, note: str
) -> None:
    order.transactions.append(
        PaymentTransaction(
            id=new_id("tx"),
            instruction_id=p.id,
            kind=kind,
            amount=amount,
            created_at=at,
            reference=f"{kind.value[:4].upper()}-{new_id('r')[-10:].upper()}",
            note=note,
        )
    )


def _ordered(order: Order) -> list[PaymentInstruction]:
    return sorted(order.payments, key=lambda p: p.seq)


def _authorize(order: Order, amount: Decimal, at: datetime, note: str) -> None:
    ledgers = _ledgers(order)
    left = amount
    for p in _ordered(order):
        if not p.active or left <= 0:
            continue
        room = left if p.max_amount is None else max(ZERO, p.max_amount - ledgers[p.id].exposure)
        take = min(room, left)
        if take > 0:
            _add(order, p, TxKind.AUTHORIZATION, take, at, note)
            left -= take
    if left > 0:
        raise Refused(
            f"The order's payment methods cannot cover another {left}: add or change a "
            "payment method first.",
            code="payment_insufficient",
            details={"uncovered": str(left)},
        )


def _void(order: Order, amount: Decimal, at: datetime, note: str) -> None:
    ledgers = _ledgers(order)
    left = amount
    for p in reversed(_ordered(order)):
        take = min(ledgers[p.id].open_auth, left)
        if take > 0:
            _add(order, p, TxKind.VOID, take, at, note)
            left -= take


def _refund(order: Order, amount: Decimal, at: datetime, note: str) -> None:
    ledgers = _ledgers(order)
    left = amount
    for p in reversed(_ordered(order)):
        take = min(ledgers[p.id].refundable, left)
        if take > 0:
            _add(order, p, TxKind.REFUND, take, at, note)
            left -= take


def capture(order: Order, amount: Decimal, at: datetime, note: str) -> None:
    """Charge ``amount`` (an invoice), drawing on open authorizations in order."""
    ledgers = _ledgers(order)
    left = amount
    for p in _ordered(order):
        take = min(ledgers[p.id].open_auth, left)
        if take > 0:
            _add(order, p, TxKind.CHARGE, take, at, note)
            left -= take
    if left > 0:
        active = [p for p in _ordered(order) if p.active]
        if not active:
            raise Refused("The order has no payment method to charge.", code="payment_required")
        _add(order, active[0], TxKind.CHARGE, left, at, note)


def reconcile(order: Order, at: datetime, note: str) -> None:
    """Bring payments in line with the order. What has been invoiced is what must have been
    paid: an invoice credited later (an appeasement on shipped goods, a return) is refunded
    now. What is not invoiced yet is held by an open authorization, no more and no less."""
    if not order.is_placed:
        return
    ledgers = _ledgers(order)
    # A replaced payment method keeps nothing open.
    for p in order.payments:
        if not p.active and ledgers[p.id].open_auth > 0:
            _add(order, p, TxKind.VOID, ledgers[p.id].open_auth, at, "payment method replaced")
    billed = sum((inv.adjusted_total for inv in order.invoices), ZERO)
    ledgers = _ledgers(order)
    paid = sum((lg.charged - lg.refunded for lg in ledgers.values()), ZERO)
    if paid > billed:
        _refund(order, paid - billed, at, note)
    elif paid < billed:
        capture(order, billed - paid, at, note)
    ledgers = _ledgers(order)
    open_auth = sum((lg.open_auth for lg in ledgers.values()), ZERO)
    needed = max(order.totals.grand_total - billed, ZERO)
    if needed > open_auth:
        _authorize(order, needed - open_auth, at, note)
    elif needed < open_auth:
        _void(order, open_auth - needed, at, note)
    update_balances(order)


def update_balances(order: Order) -> None:
    ledgers = _ledgers(order)
    totals = order.totals
    totals.authorized = sum((lg.open_auth for lg in ledgers.values()), ZERO)
    totals.charged = sum((lg.charged for lg in ledgers.values()), ZERO)
    totals.refunded = sum((lg.refunded for lg in ledgers.values()), ZERO)
    totals.balance_due = totals.grand_total - totals.paid


def check_split(order: Order) -> None:
    """The payment instructions can carry the order: one takes the remainder, or the fixed
    amounts add up to at least the total."""
    active = [p for p in order.payments if p.active]
    if not active:
        raise Refused("Add a payment method before placing the order.", code="payment_required")
    if any(p.max_amount is None for p in active):
        return
    covered = sum((p.max_amount or ZERO for p in active), ZERO)
    if covered < order.totals.grand_total:
        raise Refused(
            f"The payment split covers {covered} of {order.totals.grand_total}: let one method "
            "take the remainder.",
            code="payment_insufficient",
            details={"covered": str(covered), "total": str(order.totals.grand_total)},
        )
