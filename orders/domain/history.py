"""Every change to an order is one new version, with who, when, why, and an event."""

from __future__ import annotations

from datetime import datetime

from customers.kernel import Actor, DomainEvent
from orders.domain.model import ChangeRecord, Order
from orders.domain.rules import derive_status

# The event each action publishes; anything not named here is an ``order.changed``.
EVENT_TYPES: dict[str, str] = {
    "create_draft": "order.drafted",
    "draft_from_cart": "order.drafted",
    "copy_order": "order.drafted",
    "confirm": "order.created",
    "save_quote": "order.quote_saved",
    "discard_draft": "order.discarded",
    "cancel_order": "order.cancelled",
    "cancel_line": "order.line_cancelled",
    "apply_hold": "order.held",
    "resolve_hold": "order.hold_released",
    "dispatch_shipment": "order.shipped",
    "tracking_event": "order.shipment_updated",
    "create_return": "order.return_authorized",
    "receive_return": "order.returned",
    "appeasement": "order.adjusted",
    "price_match": "order.adjusted",
    "apply_coupon": "order.adjusted",
    "remove_coupon": "order.adjusted",
    "override_charge": "order.adjusted",
}

ALL_EVENT_TYPES = frozenset({*EVENT_TYPES.values(), "order.changed", "order.delivered"})


def record_change(
    order: Order,
    actor: Actor,
    action: str,
    summary: str,
    at: datetime,
    *,
    reason: str = "",
    approver: Actor | None = None,
    event_type: str | None = None,
    data: dict[str, object] | None = None,
) -> ChangeRecord:
    previous_status = order.status
    order.version += 1
    order.updated_at = at
    order.status = derive_status(order)
    change = ChangeRecord(
        version=order.version,
        at=at,
        actor_id=actor.id,
        actor_name=actor.name,
        actor_role=actor.role.value,
        action=action,
        summary=summary,
        reason=reason,
        approved_by=approver.id if approver is not None else None,
    )
    order.changes.append(change)
    order.events.append(
        DomainEvent(
            type=event_type or EVENT_TYPES.get(action, "order.changed"),
            aggregate="order",
            aggregate_id=order.id,
            occurred_at=at,
            version=order.version,
            data={
                "order_id": order.id,
                "number": order.number,
                "customer_id": order.customer_id,
                "action": action,
                "summary": summary,
                "reason": reason,
                "status": order.status.value,
                "previous_status": previous_status.value,
                "on_hold": order.on_hold,
                "grand_total": str(order.totals.grand_total),
                "balance_due": str(order.totals.balance_due),
                "currency": order.currency,
                "actor": {"id": actor.id, "name": actor.name, "role": actor.role.value},
                "approved_by": change.approved_by,
                **(data or {}),
            },
        )
    )
    return change
