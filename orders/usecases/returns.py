"""Returns and exchanges: authorize the return, then receive it (refund or replacement)."""

from __future__ import annotations

from customers.kernel import Actor
from orders.catalog.model import SellableVariant
from orders.domain import returns
from orders.ports import OrdersUnitOfWork
from orders.schemas.commands import CreateReturn, ReceiveReturn
from orders.schemas.views import OrderView
from orders.usecases.base import Step, run_action


async def create_return(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: CreateReturn
) -> OrderView:
    async def step(s: Step) -> str:
        requests = []
        for rl in cmd.lines:
            exchange = await s.sellable(rl.exchange_variant_id) if rl.exchange_variant_id else None
            requests.append(returns.ReturnRequest(rl.line_id, rl.quantity, rl.reason, exchange))
        rma = returns.create_return(
            s.order, requests, cmd.note, await s.number("return"), actor, s.now
        )
        exchanges = len([r for r in requests if r.exchange is not None])
        s.event_data["return"] = rma.number
        return f"Return {rma.number} authorized for {len(requests)} line(s)" + (
            f", {exchanges} as exchange" if exchanges else ""
        )

    return await run_action(
        uow,
        actor,
        number,
        "create_return",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        reason=cmd.note,
        idempotency_key=cmd.idempotency_key,
    )


async def receive_return(
    uow: OrdersUnitOfWork, actor: Actor, number: str, cmd: ReceiveReturn
) -> OrderView:
    """The returned items are back: refund what is not exchanged, start the replacements."""

    async def step(s: Step) -> str:
        rma = s.order.return_authorization(cmd.return_id)
        exchanges: dict[str, SellableVariant] = {}
        for rl in rma.lines:
            if rl.exchange_variant_id:
                exchanges[rl.exchange_variant_id] = await s.sellable(rl.exchange_variant_id)
        before = s.order.totals.grand_total
        returns.receive_return(s.order, cmd.return_id, exchanges, s.now)

        def refund_amount() -> None:
            rma.refund_amount = max(before - s.order.totals.grand_total, rma.refund_amount)
            s.event_data.update(**{"return": rma.number, "refund": str(rma.refund_amount)})

        s.after_pricing.append(refund_amount)
        return f"Return {rma.number} received"

    return await run_action(
        uow,
        actor,
        number,
        "receive_return",
        step,
        request=cmd,
        expected_version=cmd.expected_version,
        idempotency_key=cmd.idempotency_key,
    )
