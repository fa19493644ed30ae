"""Returns and exchanges: authorize (an RMA), then receive, which refunds or sends the
replacement. An exchange is even: the replacement line is free and nothing is refunded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from customers.errors import InvalidInput
from customers.kernel import ZERO, Actor, new_id
from orders.catalog.model import SellableVariant
from orders.domain.documents import ReturnAuthorization, ReturnLine
from orders.domain.enums import LineStatus, ReturnReason, ReturnStatus
from orders.domain.lines import new_line
from orders.domain.model import Order
from orders.domain.rules import CANCELLABLE, RETURNABLE, ensure_placed, line_facts, refuse


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    line_id: str
    quantity: int
    reason: ReturnReason
    exchange: SellableVariant | None = None


def pending_return_quantity(order: Order, line_id: str) -> int:
    return sum(
        rl.quantity
        for rma in order.returns
        if rma.status is ReturnStatus.AUTHORIZED
        for rl in rma.lines
        if rl.line_id == line_id
    )


def create_return(
    order: Order, requests: list[ReturnRequest], note: str, number: str, actor: Actor, at: datetime
) -> ReturnAuthorization:
    ensure_placed(order, "return items")
    if not requests or len({r.line_id for r in requests}) != len(requests):
        raise InvalidInput("Name each line to return once.", code="invalid_lines")
    rma = ReturnAuthorization(
        id=new_id("rma"),
        number=number,
        status=ReturnStatus.AUTHORIZED,
        created_at=at,
        created_by=actor.id,
        note=note,
    )
    for request in requests:
        line = order.line(request.line_id)
        if line.status in CANCELLABLE:
            raise refuse(
                "not_shipped",
                f"Line {line.line_no} ({line.sku}) has not shipped ({line.status.value}): cancel "
                "it instead of returning it.",
                **line_facts(line),
            )
        if line.status not in RETURNABLE:
            raise refuse(
                "not_returnable",
                f"Line {line.line_no} ({line.sku}) is {line.status.value} and cannot be returned.",
                **line_facts(line),
            )
        returnable = line.open_quantity - pending_return_quantity(order, line.id)
        if not 1 <= request.quantity <= returnable:
            raise InvalidInput(
                f"Line {line.line_no} has {returnable} unit(s) that can be returned; "
                f"{request.quantity} asked.",
                code="invalid_quantity",
                details={**line_facts(line), "returnable": returnable},
            )
        exchange_variant_id = None
        if request.exchange is not None:
            request.exchange.check_sellable()
            if request.exchange.product.id != line.product_id:
                raise InvalidInput(
                    "An exchange is for another size or colour of the same product.",
                    code="variant_of_other_product",
                    details={**line_facts(line), "variant_id": request.exchange.variant.id},
                )
            exchange_variant_id = request.exchange.variant.id
        rma.lines.append(
            ReturnLine(
                id=new_id("rl"),
                line_id=line.id,
                quantity=request.quantity,
                reason=request.reason,
                exchange_variant_id=exchange_variant_id,
            )
        )
    order.returns.append(rma)
    return rma


def receive_return(
    order: Order, return_id: str, exchanges: dict[str, SellableVariant], at: datetime
) -> ReturnAuthorization:
    """The parcel is back: returned units stop being billed (the refund follows from the new
    total), exchanged units get their free replacement line. ``exchanges`` maps variant ids of
    the exchange lines to their catalog entries."""
    ensure_placed(order, "receive a return")
    rma = order.return_authorization(return_id)
    if rma.status is not ReturnStatus.AUTHORIZED:
        raise refuse(
            "return_already_received",
            f"Return {rma.number} was received already.",
            number=rma.number,
        )
    for rl in rma.lines:
        line = order.line(rl.line_id)
        if rl.exchange_variant_id is None:
            line.returned_quantity += rl.quantity
        else:
            line.exchanged_quantity += rl.quantity
            replacement = new_line(order, exchanges[rl.exchange_variant_id], rl.quantity)
            replacement.unit_price = ZERO
            replacement.exchange_of_line_id = line.id
            replacement.gift_wrap = False
            order.lines.append(replacement)
            rl.exchange_line_id = replacement.id
        if line.open_quantity == 0:
            line.status = LineStatus.RETURNED
    rma.status = ReturnStatus.RECEIVED
    rma.received_at = at
    return rma
