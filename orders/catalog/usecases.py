"""Catalog use cases: browsing products (the storefront), stock near a shopper (the CSR),
and keeping the catalog (the demo seed, an integration)."""

from __future__ import annotations

from customers.errors import NotFound, Refused
from customers.kernel import new_id
from orders.catalog.geo import GeoPoint, haversine_km, locate
from orders.catalog.model import Location, LocationKind, Product, Promotion, Variant
from orders.catalog.schemas import (
    AvailabilityQuery,
    AvailabilityView,
    NewLocation,
    NewProduct,
    NewPromotion,
    ProductQuery,
    ProductView,
    PromotionView,
    SetStock,
    StockView,
    StoreAvailabilityView,
    StoreView,
)
from orders.catalog.views import (
    product_view,
    promotion_view,
    stock_view,
    store_view,
    variant_view,
)
from orders.ports import OrdersUnitOfWork


async def list_products(uow: OrdersUnitOfWork, query: ProductQuery) -> list[ProductView]:
    async with uow:
        products = await uow.catalog.list_products(
            query=query.q, category=query.category, limit=query.limit, offset=query.offset
        )
    return [product_view(p) for p in products]


async def get_product(uow: OrdersUnitOfWork, product_id: str) -> ProductView:
    async with uow:
        product = await uow.catalog.get_product(product_id)
    if product is None:
        raise NotFound("product", product_id)
    return product_view(product)


async def list_stores(uow: OrdersUnitOfWork) -> list[StoreView]:
    async with uow:
        locations = await uow.catalog.list_locations(LocationKind.STORE)
    return [store_view(loc) for loc in locations]


async def stock_of(uow: OrdersUnitOfWork, variant_id: str) -> list[StockView]:
    async with uow:
        return [stock_view(level) for level in await uow.catalog.stock_levels(variant_id)]


async def availability_near(uow: OrdersUnitOfWork, query: AvailabilityQuery) -> AvailabilityView:
    """Stores near the shopper with the variant, nearest first, and how many each has."""
    origin: GeoPoint = locate(
        postal_code=query.postal_code,
        address=query.address,
        latitude=query.latitude,
        longitude=query.longitude,
    )
    async with uow:
        item = await uow.catalog.sellable(query.variant_id)
        if item is None:
            raise NotFound("variant", query.variant_id)
        stores = await uow.catalog.list_locations(LocationKind.STORE)
        levels = {s.location_id: s for s in await uow.catalog.stock_levels(query.variant_id)}
    found: list[StoreAvailabilityView] = []
    for store in stores:
        distance = haversine_km(origin, GeoPoint(store.latitude, store.longitude))
        if distance > query.radius_km:
            continue
        level = levels.get(store.id)
        available = level.available if level else 0
        in_stock = available >= query.quantity
        if query.in_stock_only and not in_stock:
            continue
        found.append(
            StoreAvailabilityView(
                store=store_view(store),
                distance_km=round(distance, 1),
                available=available,
                in_stock=in_stock,
            )
        )
    found.sort(key=lambda s: s.distance_km)
    return AvailabilityView(
        variant=variant_view(item.variant),
        product_name=item.product.name,
        origin=origin.label,
        latitude=origin.latitude,
        longitude=origin.longitude,
        stores=found[: query.limit],
    )


async def add_product(uow: OrdersUnitOfWork, cmd: NewProduct) -> ProductView:
    async with uow:
        product_id = cmd.id or new_id("prd")
        if await uow.catalog.get_product(product_id) is not None:
            raise Refused(f"Product {product_id} exists already.", code="already_exists")
        product = Product(
            id=product_id,
            name=cmd.name,
            description=cmd.description,
            category=cmd.category,
            brand=cmd.brand,
            bulky=cmd.bulky,
            options=list(cmd.options),
            variants=[
                Variant(
                    id=v.id or new_id("var"),
                    product_id=product_id,
                    sku=v.sku,
                    price=v.price,
                    currency=v.currency,
                    size=v.size,
                    colour=v.colour,
                )
                for v in cmd.variants
            ],
        )
        await uow.catalog.add_product(product)
        await uow.commit()
    return product_view(product)


async def set_variant_active(uow: OrdersUnitOfWork, variant_id: str, active: bool) -> ProductView:
    """Stop (or resume) selling a variant; orders that have it keep it."""
    async with uow:
        item = await uow.catalog.sellable(variant_id)
        if item is None:
            raise NotFound("variant", variant_id)
        await uow.catalog.set_variant_active(variant_id, active)
        product = await uow.catalog.get_product(item.product.id)
        await uow.commit()
    assert product is not None
    return product_view(product)


async def add_location(uow: OrdersUnitOfWork, cmd: NewLocation) -> StoreView:
    async with uow:
        location = Location(
            id=cmd.id or new_id("loc"),
            code=cmd.code,
            name=cmd.name,
            kind=cmd.kind,
            address=cmd.address.to_domain(),
            latitude=cmd.latitude,
            longitude=cmd.longitude,
            phone=cmd.phone,
            hours=cmd.hours,
            pickup=cmd.pickup and cmd.kind is LocationKind.STORE,
        )
        await uow.catalog.add_location(location)
        await uow.commit()
    return store_view(location)


async def set_stock(uow: OrdersUnitOfWork, cmd: SetStock) -> StockView:
    """An inventory count: what is on the shelf now (reservations are kept)."""
    async with uow:
        if await uow.catalog.get_location(cmd.location_id) is None:
            raise NotFound("location", cmd.location_id)
        if await uow.catalog.sellable(cmd.variant_id) is None:
            raise NotFound("variant", cmd.variant_id)
        await uow.catalog.set_stock(cmd.location_id, cmd.variant_id, cmd.on_hand)
        levels = await uow.catalog.stock_levels(cmd.variant_id)
        await uow.commit()
    level = next(lv for lv in levels if lv.location_id == cmd.location_id)
    return stock_view(level)


async def add_promotion(uow: OrdersUnitOfWork, cmd: NewPromotion) -> PromotionView:
    async with uow:
        code = cmd.code.upper()
        if await uow.catalog.get_promotion(code) is not None:
            raise Refused(f"The code {code} exists already.", code="already_exists")
        promotion = Promotion(
            code=code,
            description=cmd.description,
            kind=cmd.kind,
            value=cmd.value,
            min_subtotal=cmd.min_subtotal,
            starts_at=cmd.starts_at,
            ends_at=cmd.ends_at,
        )
        await uow.catalog.add_promotion(promotion)
        await uow.commit()
    return promotion_view(promotion)
