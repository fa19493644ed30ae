"""Carts: one open cart, lines merge, a locked cart refuses every change."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from customers.carts import Cart, CartStatus, CatalogItem, owner_key
from customers.errors import DomainError

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
JACKET = CatalogItem("v1", "p1", "JKT-M", "Jacket", "M / navy", Decimal("80.00"), "USD")


def cart() -> Cart:
    return Cart(
        id="cart1",
        visitor_id="vis1",
        customer_id=None,
        currency="USD",
        created_at=NOW,
        updated_at=NOW,
    )


def test_adding_the_same_variant_twice_adds_to_its_line() -> None:
    c = cart()
    c.add_item(JACKET, 1, NOW)
    c.add_item(JACKET, 2, NOW)
    assert len(c.lines) == 1
    assert c.lines[0].quantity == 3
    assert c.subtotal == Decimal("240.00")
    assert c.version == 3


@pytest.mark.parametrize("quantity", [0, -1, 100])
def test_quantities_out_of_range_are_refused(quantity: int) -> None:
    c = cart()
    with pytest.raises(DomainError) as refused:
        c.add_item(JACKET, quantity, NOW)
    assert refused.value.code == "invalid_quantity"
    assert c.lines == []


def test_a_line_may_not_grow_past_the_maximum() -> None:
    c = cart()
    c.add_item(JACKET, 98, NOW)
    with pytest.raises(DomainError):
        c.add_item(JACKET, 2, NOW)
    assert c.lines[0].quantity == 98


def test_an_item_no_longer_sold_is_refused() -> None:
    c = cart()
    with pytest.raises(DomainError) as refused:
        c.add_item(CatalogItem("v9", "p9", "X", "X", "", Decimal(1), "USD", active=False), 1, NOW)
    assert refused.value.code == "variant_unavailable"


def test_a_locked_cart_refuses_changes_with_cart_locked() -> None:
    c = cart()
    line = c.add_item(JACKET, 1, NOW)
    c.lock_for("CL100001", NOW)
    for change in (
        lambda: c.add_item(JACKET, 1, NOW),
        lambda: c.change_quantity(line.id, 5, NOW),
        lambda: c.remove_line(line.id, NOW),
        lambda: c.lock_for("CL100002", NOW),
    ):
        with pytest.raises(DomainError) as refused:
            change()
        assert refused.value.code == "cart_locked"
        assert refused.value.details["order_number"] == "CL100001"
    assert c.lines[0].quantity == 1


def test_unlock_lets_the_shopper_go_on_and_convert_closes_the_cart() -> None:
    c = cart()
    line = c.add_item(JACKET, 1, NOW)
    c.lock_for("CL1", NOW)
    c.unlock(NOW)
    c.change_quantity(line.id, 2, NOW)
    c.lock_for("CL2", NOW)
    c.convert(NOW)
    assert c.status is CartStatus.CONVERTED
    with pytest.raises(DomainError) as refused:
        c.add_item(JACKET, 1, NOW)
    assert refused.value.code == "cart_closed"


def test_an_empty_cart_cannot_become_an_order() -> None:
    with pytest.raises(DomainError) as refused:
        cart().lock_for("CL1", NOW)
    assert refused.value.code == "cart_empty"


def test_a_customer_cart_follows_the_customer() -> None:
    assert owner_key(visitor_id="v", customer_id="c") == "customer:c"
    assert owner_key(visitor_id="v", customer_id=None) == "visitor:v"
    with pytest.raises(DomainError):
        owner_key(visitor_id=None, customer_id=None)
