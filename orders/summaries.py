"""Views of the records around orders: summaries, history entries, price matches,
approvals."""

from __future__ import annotations

from orders.domain.adjustments import PriceMatchRecord
from orders.domain.approvals import Approval
from orders.domain.model import ChangeRecord
from orders.ports import OrderSummary
from orders.schemas.views import (
    ApprovalView,
    ChangeView,
    OrderSummaryView,
    PriceMatchView,
)


def summary_view(s: OrderSummary) -> OrderSummaryView:
    return OrderSummaryView(
        id=s.id,
        number=s.number,
        status=s.status,
        channel=s.channel,
        customer_id=s.customer_id,
        customer_name=s.customer_name,
        email=s.email,
        ship_to_name=s.ship_to_name,
        on_hold=s.on_hold,
        grand_total=s.grand_total,
        balance_due=s.balance_due,
        currency=s.currency,
        created_at=s.created_at,
        updated_at=s.updated_at,
        version=s.version,
    )


def change_view(c: ChangeRecord) -> ChangeView:
    return ChangeView(
        version=c.version,
        at=c.at,
        actor_id=c.actor_id,
        actor_name=c.actor_name,
        actor_role=c.actor_role,
        action=c.action,
        summary=c.summary,
        reason=c.reason,
        approved_by=c.approved_by,
    )


def price_match_view(r: PriceMatchRecord) -> PriceMatchView:
    return PriceMatchView(
        id=r.id,
        order_number=r.order_number,
        customer_id=r.customer_id,
        line_id=r.line_id,
        product_id=r.product_id,
        variant_id=r.variant_id,
        sku=r.sku,
        product_name=r.product_name,
        competitor=r.competitor,
        competitor_price=r.competitor_price,
        competitor_url=r.competitor_url,
        our_price=r.our_price,
        currency=r.currency,
        created_by=r.created_by,
        approved_by=r.approved_by,
        created_at=r.created_at,
    )


def approval_view(a: Approval) -> ApprovalView:
    return ApprovalView(
        id=a.id,
        order_number=a.order_number,
        action=a.action,
        request=dict(a.request),
        note=a.note,
        status=a.status,
        requested_by_id=a.requested_by_id,
        requested_by_name=a.requested_by_name,
        requested_by_role=a.requested_by_role,
        requested_at=a.requested_at,
        decided_by=a.decided_by,
        decided_at=a.decided_at,
        decision_note=a.decision_note,
        result_version=a.result_version,
    )
