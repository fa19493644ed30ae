"""Catalog objects to their views."""

from __future__ import annotations

from customers.schemas import AddressModel
from orders.catalog.model import Location, Product, Promotion, StockLevel, Variant
from orders.catalog.schemas import (
    ProductView,
    PromotionView,
    StockView,
    StoreView,
    VariantView,
)


def variant_view(variant: Variant) -> VariantView:
    return VariantView(
        id=variant.id,
        sku=variant.sku,
        size=variant.size,
        colour=variant.colour,
        label=variant.label,
        price=variant.price,
        currency=variant.currency,
        active=variant.active,
    )


def product_view(product: Product) -> ProductView:
    return ProductView(
        id=product.id,
        name=product.name,
        description=product.description,
        category=product.category,
        brand=product.brand,
        bulky=product.bulky,
        active=product.active,
        options=list(product.options),
        variants=[variant_view(v) for v in product.variants],
    )


def store_view(location: Location) -> StoreView:
    return StoreView(
        id=location.id,
        code=location.code,
        name=location.name,
        kind=location.kind,
        address=AddressModel.of(location.address),
        latitude=location.latitude,
        longitude=location.longitude,
        phone=location.phone,
        hours=location.hours,
        pickup=location.pickup,
    )


def stock_view(level: StockLevel) -> StockView:
    return StockView(
        location_id=level.location_id,
        variant_id=level.variant_id,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
    )


def promotion_view(promotion: Promotion) -> PromotionView:
    return PromotionView(
        code=promotion.code,
        description=promotion.description,
        kind=promotion.kind,
        value=promotion.value,
        min_subtotal=promotion.min_subtotal,
        starts_at=promotion.starts_at,
        ends_at=promotion.ends_at,
        active=promotion.active,
    )
