"""The catalog repository: products and variants, locations, stock, promotions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from customers.carts import CatalogItem
from customers.errors import Refused
from customers.sqlrows import columns_of, from_row, to_row
from orders import tables as t
from orders.catalog.model import (
    Location,
    LocationKind,
    Product,
    Promotion,
    SellableVariant,
    StockLevel,
    StockMove,
    Variant,
)


class SqlCatalog:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _products(self, rows: Sequence[Any]) -> list[Product]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        result = await self.conn.execute(
            select(t.variants)
            .where(t.variants.c.product_id.in_(ids))
            .order_by(t.variants.c.position)
        )
        by_product: dict[str, list[Variant]] = {}
        for v in result.mappings():
            by_product.setdefault(v["product_id"], []).append(from_row(Variant, v))
        return [
            from_row(
                Product, r._mapping, options=list(r.options), variants=by_product.get(r.id, [])
            )
            for r in rows
        ]

    async def list_products(
        self, *, query: str | None, category: str | None, limit: int, offset: int
    ) -> list[Product]:
        p = t.products
        stmt = select(p).where(p.c.active.is_(True)).order_by(p.c.category, p.c.name, p.c.id)
        if category:
            stmt = stmt.where(func.lower(p.c.category) == category.strip().lower())
        if query:
            like = f"%{query.strip().lower()}%"
            skus = select(t.variants.c.product_id).where(func.lower(t.variants.c.sku).like(like))
            stmt = stmt.where(
                or_(
                    func.lower(p.c.name).like(like),
                    func.lower(p.c.brand).like(like),
                    func.lower(p.c.description).like(like),
                    p.c.id.in_(skus),
                )
            )
        rows = (await self.conn.execute(stmt.limit(limit).offset(offset))).all()
        return await self._products(rows)

    async def get_product(self, product_id: str) -> Product | None:
        rows = (
            await self.conn.execute(select(t.products).where(t.products.c.id == product_id))
        ).all()
        found = await self._products(rows)
        return found[0] if found else None

    async def sellable(self, variant_id: str) -> SellableVariant | None:
        product_id = await self.conn.scalar(
            select(t.variants.c.product_id).where(t.variants.c.id == variant_id)
        )
        if product_id is None:
            return None
        product = await self.get_product(product_id)
        if product is None:
            return None
        return SellableVariant(product, product.variant(variant_id))

    async def cart_item(self, variant_id: str) -> CatalogItem | None:
        item = await self.sellable(variant_id)
        if item is None:
            return None
        return CatalogItem(
            variant_id=item.variant.id,
            product_id=item.product.id,
            sku=item.variant.sku,
            name=item.product.name,
            variant_label=item.variant.label,
            unit_price=item.variant.price,
            currency=item.variant.currency,
            active=item.product.active and item.variant.active,
        )

    async def add_product(self, product: Product) -> None:
        await self.conn.execute(
            insert(t.products).values(
                **to_row(product, columns_of(t.products, "options")), options=list(product.options)
            )
        )
        if product.variants:
            names = columns_of(t.variants, "position")
            await self.conn.execute(
                insert(t.variants),
                [to_row(v, names, position=i) for i, v in enumerate(product.variants)],
            )

    async def set_variant_active(self, variant_id: str, active: bool) -> None:
        await self.conn.execute(
            update(t.variants).where(t.variants.c.id == variant_id).values(active=active)
        )

    async def list_locations(self, kind: LocationKind | None = None) -> list[Location]:
        stmt = select(t.locations).order_by(t.locations.c.name)
        if kind is not None:
            stmt = stmt.where(t.locations.c.kind == kind.value)
        return [from_row(Location, r) for r in (await self.conn.execute(stmt)).mappings()]

    async def get_location(self, location_id: str) -> Location | None:
        row = (
            (await self.conn.execute(select(t.locations).where(t.locations.c.id == location_id)))
            .mappings()
            .first()
        )
        return None if row is None else from_row(Location, row)

    async def add_location(self, location: Location) -> None:
        await self.conn.execute(
            insert(t.locations).values(**to_row(location, columns_of(t.locations)))
        )

    async def stock_levels(self, variant_id: str) -> list[StockLevel]:
        result = await self.conn.execute(select(t.stock).where(t.stock.c.variant_id == variant_id))
        return [from_row(StockLevel, r) for r in result.mappings()]

    async def set_stock(self, location_id: str, variant_id: str, on_hand: int) -> None:
        s = t.stock
        result = await self.conn.execute(
            update(s)
            .where(s.c.location_id == location_id, s.c.variant_id == variant_id)
            .values(on_hand=on_hand)
        )
        if result.rowcount == 0:
            await self.conn.execute(
                insert(s).values(
                    location_id=location_id, variant_id=variant_id, on_hand=on_hand, reserved=0
                )
            )

    async def find_source(self, variant_id: str, quantity: int) -> str | None:
        s, loc = t.stock, t.locations
        available = s.c.on_hand - s.c.reserved
        return await self.conn.scalar(
            select(s.c.location_id)
            .join(loc, loc.c.id == s.c.location_id)
            .where(
                s.c.variant_id == variant_id,
                loc.c.kind == LocationKind.WAREHOUSE.value,
                available >= quantity,
            )
            .order_by(available.desc(), s.c.location_id)
            .limit(1)
        )

    async def apply(self, moves: Sequence[StockMove]) -> None:
        s = t.stock
        for move in moves:
            where = (s.c.location_id == move.location_id, s.c.variant_id == move.variant_id)
            if move.reserve:
                result = await self.conn.execute(
                    update(s)
                    .where(*where, s.c.on_hand - s.c.reserved >= move.reserve)
                    .values(reserved=s.c.reserved + move.reserve)
                )
                if result.rowcount != 1:
                    raise Refused(
                        f"There are not {move.reserve} of that item available at the location.",
                        code="insufficient_stock",
                        details={
                            "location_id": move.location_id,
                            "variant_id": move.variant_id,
                            "needed": move.reserve,
                        },
                    )
            if move.release:
                await self.conn.execute(
                    update(s)
                    .where(*where)
                    .values(
                        reserved=case(
                            (s.c.reserved >= move.release, s.c.reserved - move.release), else_=0
                        )
                    )
                )
            if move.consume:
                await self.conn.execute(
                    update(s)
                    .where(*where)
                    .values(
                        reserved=case(
                            (s.c.reserved >= move.consume, s.c.reserved - move.consume), else_=0
                        ),
                        on_hand=case(
                            (s.c.on_hand >= move.consume, s.c.on_hand - move.consume), else_=0
                        ),
                    )
                )

    async def get_promotion(self, code: str) -> Promotion | None:
        row = (
            (
                await self.conn.execute(
                    select(t.promotions).where(t.promotions.c.code == code.upper())
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else from_row(Promotion, row)

    async def add_promotion(self, promotion: Promotion) -> None:
        await self.conn.execute(
            insert(t.promotions).values(**to_row(promotion, columns_of(t.promotions)))
        )
