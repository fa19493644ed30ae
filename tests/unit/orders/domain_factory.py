"""Orders built by hand for the pure domain tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from customers.kernel import Address
from customers.model import PaymentKind
from orders.domain.enums import Channel, LineStatus, Stage
from orders.domain.model import Order, OrderLine, PaymentInstruction

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
MA = Address("Dana", "12 Elm St", "Cambridge", "02139", region="MA")
NH = Address("Dana", "1 Main St", "Nashua", "03060", region="NH")


def line(n: int, price: str, quantity: int = 1, **changes: object) -> OrderLine:
    fields: dict[str, object] = {
        "id": f"ln{n}",
        "line_no": n,
        "product_id": f"p{n}",
        "variant_id": f"v{n}",
        "sku": f"SKU-{n}",
        "name": f"Item {n}",
        "quantity": quantity,
        "unit_price": Decimal(price),
        "list_price": Decimal(price),
    }
    fields.update(changes)
    return OrderLine(**fields)  # type: ignore[arg-type]


def order(*lines: OrderLine, placed: bool = False, ship_to: Address | None = MA) -> Order:
    o = Order(
        id="ord1",
        number="CL100001",
        channel=Channel.PHONE,
        currency="USD",
        created_at=NOW,
        updated_at=NOW,
        created_by="a1",
        ship_to=ship_to,
        lines=list(lines),
    )
    if placed:
        o.stage = Stage.PLACED
        for ln in o.lines:
            if ln.status is LineStatus.CREATED:
                ln.status = LineStatus.CREATED
    o.payments.append(
        PaymentInstruction(
            id="pi1", seq=1, kind=PaymentKind.CARD, token="tok", brand="visa", last4="4242"
        )
    )
    return o
