"""The storefront's carts and the browsing trail, through the use cases on fakes."""

from __future__ import annotations

import pytest

from customers.errors import DomainError
from customers.schemas import AddCartItem, CartOwnerIn, ChangeCartItem, RegisterCustomer
from customers.usecases import carts, profiles, trail
from tests.unit.customers.fakes import CustomerState, FakeCustomersUnitOfWork


async def test_one_open_cart_per_visitor(uow: FakeCustomersUnitOfWork) -> None:
    first = await carts.get_or_create_cart(uow, CartOwnerIn(visitor_id="vis-1"))
    again = await carts.get_or_create_cart(uow, CartOwnerIn(visitor_id="vis-1"))
    other = await carts.get_or_create_cart(uow, CartOwnerIn(visitor_id="vis-2"))
    assert first.id == again.id != other.id
    assert first.status == "active" and first.lines == []


async def test_a_guest_who_signs_in_keeps_the_cart(uow: FakeCustomersUnitOfWork) -> None:
    customer = await profiles.register_customer(
        uow, RegisterCustomer(first_name="Dana", email="dana@example.com")
    )
    guest = await carts.get_or_create_cart(uow, CartOwnerIn(visitor_id="vis-1"))
    await carts.add_cart_item(uow, guest.id, AddCartItem(variant_id="v-jacket"))
    signed_in = await carts.get_or_create_cart(
        uow, CartOwnerIn(visitor_id="vis-1", customer_id=customer.id)
    )
    assert signed_in.id == guest.id
    assert signed_in.customer_id == customer.id
    assert signed_in.item_count == 1


async def test_a_cart_for_an_unknown_customer_is_refused(uow: FakeCustomersUnitOfWork) -> None:
    with pytest.raises(DomainError) as refused:
        await carts.get_or_create_cart(uow, CartOwnerIn(customer_id="cus_nobody"))
    assert refused.value.code == "not_found"


async def test_add_change_and_remove_lines(uow: FakeCustomersUnitOfWork) -> None:
    cart = await carts.get_or_create_cart(uow, CartOwnerIn(visitor_id="vis-1"))
    cart = await carts.add_cart_item(uow, cart.id, AddCartItem(variant_id="v-jacket", quantity=2))
    assert str(cart.subtotal) == "160.00"
    line = cart.lines[0]
    cart = await carts.change_cart_item(uow, cart.id, line.id, ChangeCartItem(quantity=3))
    assert cart.item_count == 3
    cart = await carts.change_cart_item(uow, cart.id, line.id, ChangeCartItem(quantity=0))
    assert cart.lines == []
    cart = await carts.add_cart_item(uow, cart.id, AddCartItem(variant_id="v-jacket"))
    cart = await carts.remove_cart_item(uow, cart.id, cart.lines[0].id)
    assert cart.lines == []
    assert {e.type for e in uow.published} == {"cart.changed"}


async def test_unknown_or_retired_variants_are_refused(
    uow: FakeCustomersUnitOfWork, customer_state: CustomerState
) -> None:
    cart = await carts.get_or_create_cart(uow, CartOwnerIn(visitor_id="vis-1"))
    with pytest.raises(DomainError) as refused:
        await carts.add_cart_item(uow, cart.id, AddCartItem(variant_id="v-nope"))
    assert refused.value.code == "not_found"
    with pytest.raises(DomainError) as refused:
        await carts.add_cart_item(uow, cart.id, AddCartItem(variant_id="v-old"))
    assert refused.value.code == "variant_unavailable"
    assert customer_state.carts[cart.id].lines == []


async def test_the_trail_is_newest_first_and_bounded(uow: FakeCustomersUnitOfWork) -> None:
    for n in range(5):
        uow.clock.advance(seconds=1)
        await trail.record_page_view(uow, "vis-1", f"/p/{n}", f"Page {n}")
    await trail.record_page_view(uow, "vis-2", "/other", "Other")
    pages = await trail.browsing_trail(uow, "vis-1", limit=3)
    assert [p.url for p in pages] == ["/p/4", "/p/3", "/p/2"]
    assert uow.published == []  # page views are not events: they are too many


async def test_record_page_view_truncates_huge_input(uow: FakeCustomersUnitOfWork) -> None:
    await trail.record_page_view(uow, "vis-1", "/x" * 5000, "t" * 5000)
    (page,) = await trail.browsing_trail(uow, "vis-1")
    assert len(page.url) == trail.MAX_URL and len(page.title) == trail.MAX_TITLE
