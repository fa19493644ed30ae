"""Asking a lead to approve a money action above one's limit, and the lead's decision.

A request is accepted only when it really is above the asker's limit (it is tried, and rolled
back): anything else it would run into (a wrong status, too large for the order) is answered
at once, not after a lead has looked at it. On approval the stored request runs as it was made,
under the lead's limits, in the same transaction that marks the approval decided.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from customers.errors import NotFound, Refused
from customers.kernel import Actor, DomainEvent, new_id
from customers.schemas import Model
from orders.domain.approvals import Approval
from orders.domain.limits import LimitExceeded, check_can_approve
from orders.ports import OrdersUnitOfWork
from orders.schemas.commands import (
    Appease,
    DecideApproval,
    OverrideCharge,
    PriceMatch,
    RequestApproval,
)
from orders.schemas.views import ApprovalQuery, ApprovalView, OrderView
from orders.summaries import approval_view
from orders.usecases import money
from orders.usecases.base import BeforeCommit, load

Runner = Callable[..., Awaitable[OrderView]]

ACTIONS: dict[str, tuple[type[Model], Runner]] = {
    "appeasement": (Appease, money.appease),
    "price_match": (PriceMatch, money.price_match),
    "override_charge": (OverrideCharge, money.override_charge),
}


class _TriedOnly(Exception):
    """Raised just before commit to roll a trial run back."""


async def _abort(uow: OrdersUnitOfWork, view: OrderView) -> None:
    raise _TriedOnly


def _event(approval: Approval, kind: str) -> DomainEvent:
    return DomainEvent(
        type=f"approval.{kind}",
        aggregate="approval",
        aggregate_id=approval.id,
        occurred_at=approval.decided_at or approval.requested_at,
        version=approval.version,
        data={
            "approval_id": approval.id,
            "order_number": approval.order_number,
            "action": approval.action,
            "status": approval.status.value,
            "requested_by": approval.requested_by_id,
            "decided_by": approval.decided_by,
        },
    )


async def request_approval(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: RequestApproval
) -> ApprovalView:
    request: Appease | PriceMatch | OverrideCharge
    if cmd.appeasement is not None:
        action, request = "appeasement", cmd.appeasement
    elif cmd.price_match is not None:
        action, request = "price_match", cmd.price_match
    else:
        assert cmd.override_charge is not None
        action, request = "override_charge", cmd.override_charge
    _, runner = ACTIONS[action]
    try:
        await runner(uow, actor, number, request, before_commit=_abort)
    except _TriedOnly:
        raise Refused(
            "This is within your own limits: do it yourself, no approval is needed.",
            code="approval_not_needed",
        ) from None
    except LimitExceeded as exceeded:
        limit = exceeded.details
    else:
        raise Refused(
            "A request with this idempotency key was already carried out.",
            code="approval_not_needed",
        )
    async with uow:
        order = await load(uow, number)
        approval = Approval(
            id=new_id("apr"),
            order_id=order.id,
            order_number=order.number,
            action=action,
            request=request.model_dump(mode="json", exclude={"expected_version"}),
            requested_by_id=actor.id,
            requested_by_name=actor.name,
            requested_by_role=actor.role,
            requested_at=uow.now(),
            note=cmd.note,
        )
        await uow.approvals.add(approval)
        event = _event(approval, "requested")
        uow.emit(replace(event, data={**event.data, "limit": limit}))
        await uow.commit()
    return approval_view(approval)


async def list_approvals(uow: OrdersUnitOfWork, query: ApprovalQuery) -> list[ApprovalView]:
    async with uow:
        found = await uow.approvals.list(
            status=query.status, order_number=query.order_number, limit=query.limit
        )
    return [approval_view(a) for a in found]


async def _load(uow: OrdersUnitOfWork, approval_id: str) -> Approval:
    async with uow:
        approval = await uow.approvals.get(approval_id)
    if approval is None:
        raise NotFound("approval", approval_id)
    return approval


async def approve(
    uow: OrdersUnitOfWork, lead: Actor, approval_id: str, cmd: DecideApproval
) -> ApprovalView:
    """Run the approved request as its requester, under the lead's limits."""
    check_can_approve(lead)
    approval = await _load(uow, approval_id)
    model, runner = ACTIONS[approval.action]
    request: Any = model.model_validate(approval.request)

    async def mark_decided(tx: OrdersUnitOfWork, view: OrderView) -> None:
        approval.result_version = view.version
        await tx.approvals.save(approval)
        tx.emit(_event(approval, "approved"))

    # Decide first: refusals (not pending, own request) come before anything runs.
    approval.decide(lead, True, cmd.note, uow.now())
    before_commit: BeforeCommit = mark_decided
    await runner(
        uow,
        approval.requester,
        approval.order_number,
        request,
        approver=lead,
        before_commit=before_commit,
    )
    return approval_view(approval)


async def reject(
    uow: OrdersUnitOfWork, lead: Actor, approval_id: str, cmd: DecideApproval
) -> ApprovalView:
    async with uow:
        approval = await uow.approvals.get(approval_id)
        if approval is None:
            raise NotFound("approval", approval_id)
        approval.decide(lead, False, cmd.note, uow.now())
        await uow.approvals.save(approval)
        uow.emit(_event(approval, "rejected"))
        await uow.commit()
    return approval_view(approval)
