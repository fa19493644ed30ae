"""The order's status, as people search for it, from where its lines stand."""

from __future__ import annotations

import pytest

from orders.domain.enums import LineStatus as L
from orders.domain.enums import OrderStatus as O
from orders.domain.enums import Stage
from orders.domain.rules import derive_status
from tests.unit.orders.domain_factory import line, order


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([L.CREATED, L.SCHEDULED], O.CREATED),
        ([L.BACKORDERED], O.BACKORDERED),
        ([L.BACKORDERED, L.CREATED], O.CREATED),
        ([L.SCHEDULED, L.RELEASED], O.SCHEDULED),
        ([L.RELEASED, L.RELEASED], O.RELEASED),
        ([L.INCLUDED_IN_SHIPMENT, L.RELEASED], O.RELEASED),
        ([L.INCLUDED_IN_SHIPMENT], O.INCLUDED_IN_SHIPMENT),
        ([L.SHIPPED, L.RELEASED], O.PARTIALLY_SHIPPED),
        ([L.SHIPPED, L.DELIVERED], O.SHIPPED),
        ([L.DELIVERED, L.RETURNED], O.DELIVERED),
        ([L.RETURNED, L.CANCELLED], O.RETURNED),
        ([L.CANCELLED, L.CANCELLED], O.CANCELLED),
        ([L.CANCELLED, L.SHIPPED], O.SHIPPED),
    ],
)
def test_status_of_a_placed_order(statuses: list[L], expected: O) -> None:
    o = order(*[line(n, "10.00", status=s) for n, s in enumerate(statuses, start=1)])
    o.stage = Stage.PLACED
    assert derive_status(o) is expected


def test_drafts_and_quotes_are_what_they_are() -> None:
    o = order(line(1, "10.00"))
    assert derive_status(o) is O.DRAFT
    o.stage = Stage.QUOTE
    assert derive_status(o) is O.QUOTE
