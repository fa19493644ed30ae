"""The catalog: products for the storefront, and which store near the shopper has an item."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from customers.errors import DomainError
from customers.schemas import AddCartItem, CartOwnerIn
from orders.catalog.schemas import AvailabilityQuery, ProductQuery
from tests.unit.orders.builders import World


async def test_nearest_stores_first_with_their_stock(world: World) -> None:
    found = await world.shop.availability_near(
        AvailabilityQuery(variant_id=world.jacket_m, postal_code="02139")
    )
    assert found.origin == "02139 Cambridge, Central Square"
    assert [(s.store.name, s.available) for s in found.stores] == [
        ("Cambridge", 6),
        ("Back Bay", 2),
    ]
    distances = [s.distance_km for s in found.stores]
    assert distances == sorted(distances) and distances[0] < 2
    assert found.variant.sku == "JKT-M-NVY" and found.product_name == "Harbor Rain Jacket"


async def test_a_wider_radius_a_quantity_and_in_stock_only(world: World) -> None:
    found = await world.shop.availability_near(
        AvailabilityQuery(
            variant_id=world.jacket_m,
            address="1 Main St, Boston MA 02108",
            radius_km=100,
            quantity=3,
            in_stock_only=True,
        )
    )
    assert [s.store.name for s in found.stores] == ["Cambridge", "Providence"]
    everywhere = await world.shop.availability_near(
        AvailabilityQuery(variant_id=world.boots, latitude=41.82, longitude=-71.41, radius_km=100)
    )
    assert [(s.store.name, s.in_stock) for s in everywhere.stores] == [
        ("Providence", False),
        ("Back Bay", False),
        ("Cambridge", True),
    ]
    # Warehouses are not stores a shopper can walk into.
    assert all(s.store.kind.value == "store" for s in everywhere.stores)


async def test_unknown_places_and_items(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        await world.shop.availability_near(
            AvailabilityQuery(variant_id=world.jacket_m, postal_code="90210")
        )
    assert refused.value.code == "unknown_location"
    with pytest.raises(DomainError) as refused:
        await world.shop.availability_near(
            AvailabilityQuery(variant_id="var_nope", postal_code="02139")
        )
    assert refused.value.code == "not_found"
    with pytest.raises(ValidationError):
        AvailabilityQuery(variant_id=world.jacket_m)


async def test_products_with_variants_and_prices(world: World) -> None:
    outerwear = await world.shop.list_products(ProductQuery(category="outerwear"))
    (jacket,) = outerwear
    assert [(v.sku, v.label, v.price) for v in jacket.variants] == [
        ("JKT-M-NVY", "M / navy", Decimal("80.00")),
        ("JKT-L-NVY", "L / navy", Decimal("80.00")),
    ]
    assert jacket.options == ["monogram"]
    by_sku = await world.shop.list_products(ProductQuery(q="boot-42"))
    assert [p.name for p in by_sku] == ["Trail Boots"]
    assert (await world.shop.get_product(jacket.id)) == jacket
    stores = await world.shop.list_stores()
    assert [s.name for s in stores] == ["Back Bay", "Cambridge", "Providence"]


async def test_the_csr_panel_shows_profile_orders_cart_and_trail(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    cart = await world.shop.get_or_create_cart(
        CartOwnerIn(visitor_id="vis-1", customer_id=world.dana)
    )
    await world.shop.add_cart_item(cart.id, AddCartItem(variant_id=world.boots))
    await world.shop.record_page_view("vis-1", "https://shop.example/boots", "Trail Boots")
    panel = await world.shop.customer_panel(customer_id=world.dana, visitor_id="vis-1")
    assert panel.customer is not None and panel.customer.name == "Dana Whitfield"
    assert [o.number for o in panel.orders] == [order.number]
    assert panel.cart is not None and panel.cart.item_count == 1
    assert [p.title for p in panel.trail] == ["Trail Boots"]
