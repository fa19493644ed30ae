"""The shape every order action shares.

Load the order, refuse a stale ``expected_version``, apply the action's step, reprice, bring
payments and invoices in line, record the change (a new version, its history entry, a snapshot
and an event), commit, and only then tell listeners. Money-moving actions carry an idempotency
key: the first result is stored with the change, in the same transaction, and a retry gets it
back instead of acting twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from customers.errors import InvalidInput, NotFound, VersionConflict
from customers.kernel import Actor
from customers.schemas import Model
from orders.catalog.model import SellableVariant, StockMove
from orders.domain import invoicing, payments, pricing
from orders.domain.history import record_change
from orders.domain.model import Order
from orders.ports import OrdersUnitOfWork, StoredResult
from orders.schemas.views import OrderView
from orders.views import order_view

NUMBER_FORMATS = {
    "order": ("CL", 100000),
    "shipment": ("SH", 500000),
    "invoice": ("IN", 700000),
    "return": ("RMA", 300000),
}


@dataclass
class Step:
    """What an action's step can use and say besides changing the order."""

    uow: OrdersUnitOfWork
    order: Order
    actor: Actor
    approver: Actor | None
    now: datetime
    warnings: list[str] = field(default_factory=list)
    event_type: str | None = None
    event_data: dict[str, object] = field(default_factory=dict)
    # Run after repricing (a return's refund is known only then).
    after_pricing: list[Callable[[], None]] = field(default_factory=list)

    @property
    def authority(self) -> Actor:
        """Whose limits apply: the approving lead's, or the actor's own."""
        return self.approver if self.approver is not None else self.actor

    async def sellable(self, variant_id: str) -> SellableVariant:
        return await sellable(self.uow, variant_id)

    async def stock(self, moves: list[StockMove]) -> None:
        if moves:
            await self.uow.catalog.apply(moves)

    async def number(self, kind: str) -> str:
        return await next_number(self.uow, kind)


StepFn = Callable[[Step], Awaitable[str]]
# Runs in the action's transaction, just before its commit (an approval marks itself decided).
BeforeCommit = Callable[[OrdersUnitOfWork, OrderView], Awaitable[None]]


async def sellable(uow: OrdersUnitOfWork, variant_id: str) -> SellableVariant:
    item = await uow.catalog.sellable(variant_id)
    if item is None:
        raise NotFound("variant", variant_id)
    return item


async def next_number(uow: OrdersUnitOfWork, kind: str) -> str:
    prefix, base = NUMBER_FORMATS[kind]
    return f"{prefix}{base + await uow.numbers.next(kind)}"


async def load(uow: OrdersUnitOfWork, number: str) -> Order:
    order = await uow.orders.get_by_number(number.strip().upper())
    if order is None:
        raise NotFound("order", number)
    return order


def fingerprint(action: str, number: str, request: Model | None) -> str:
    body = request.model_dump(mode="json", exclude={"expected_version"}) if request else {}
    text = json.dumps({"action": action, "number": number, "request": body}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


async def _replay(uow: OrdersUnitOfWork, key: str, print_: str, action: str) -> OrderView | None:
    stored = await uow.idempotency.get(key)
    if stored is None:
        return None
    if stored.fingerprint != print_:
        raise InvalidInput(
            "This idempotency key was already used for a different request; use a new key "
            "for a new request.",
            code="idempotency_key_reused",
            details={"key": key, "first_action": stored.action, "action": action},
        )
    return OrderView.model_validate(stored.response)


async def finish(step: Step, action: str, summary: str, reason: str) -> OrderView:
    """Reprice, reconcile, record and store the order; the caller commits."""
    order, uow, now = step.order, step.uow, step.now
    pricing.recalculate(order)
    for hook in step.after_pricing:
        hook()
    # Invoices first: payments follow what has been invoiced.
    invoicing.sync_adjustments(order, now, reason or summary, action)
    payments.reconcile(order, now, action.replace("_", " "))
    record_change(
        order,
        step.actor,
        action,
        summary,
        now,
        reason=reason,
        approver=step.approver,
        event_type=step.event_type,
        data=step.event_data,
    )
    # Events go to the unit of work, never into storage with the order.
    events, order.events = order.events, []
    if order.loaded_version == 0:
        await uow.orders.add(order)
    else:
        await uow.orders.save(order)
    # The snapshot is the version itself; warnings belong to the answer to this request.
    snapshot = order_view(order)
    await uow.orders.add_snapshot(order.id, order.version, snapshot.model_dump(mode="json"))
    view = snapshot.model_copy(update={"warnings": step.warnings}) if step.warnings else snapshot
    for event in events:
        uow.emit(event)
    return view


async def run_action(
    uow: OrdersUnitOfWork,
    actor: Actor,
    number: str,
    action: str,
    step_fn: StepFn,
    *,
    request: Model | None = None,
    expected_version: int | None = None,
    reason: str = "",
    idempotency_key: str | None = None,
    approver: Actor | None = None,
    before_commit: BeforeCommit | None = None,
) -> OrderView:
    print_ = fingerprint(action, number.strip().upper(), request)
    try:
        async with uow:
            if idempotency_key:
                replay = await _replay(uow, idempotency_key, print_, action)
                if replay is not None:
                    return replay
            order = await load(uow, number)
            if expected_version is not None and expected_version != order.version:
                raise VersionConflict("order", order.number, expected_version, order.version)
            step = Step(uow=uow, order=order, actor=actor, approver=approver, now=uow.now())
            summary = await step_fn(step)
            view = await finish(step, action, summary, reason)
            if idempotency_key:
                await uow.idempotency.put(
                    StoredResult(idempotency_key, action, print_, view.model_dump(mode="json")),
                    step.now,
                )
            if before_commit is not None:
                await before_commit(uow, view)
            await uow.commit()
            return view
    except VersionConflict:
        # Two deliveries of one retried request raced: the loser answers with the winner's
        # result instead of a conflict.
        if idempotency_key:
            async with uow:
                replay = await _replay(uow, idempotency_key, print_, action)
            if replay is not None:
                return replay
        raise
