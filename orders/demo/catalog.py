"""The demo catalog: apparel and home goods with sizes and colours, the Greater Boston stores
and two warehouses with stock per variant, and the promotion codes.

Ids are fixed (``prd_``, ``var_`` + the SKU, ``loc_`` + the store code) so that a CSR can type
them and a second run finds what the first one made. Stock comes from a fixed rule, not from
chance: the same numbers on every machine.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from customers.errors import NotFound
from customers.schemas import AddressModel
from orders.catalog.model import LocationKind, PromotionKind
from orders.catalog.schemas import NewLocation, NewProduct, NewPromotion, NewVariant
from orders.demo.base import Seeding


@dataclass(frozen=True, slots=True)
class Item:
    """A product: each size with its price, times each colour."""

    code: str
    name: str
    category: str
    description: str
    sizes: tuple[tuple[str, str], ...]
    colours: tuple[str, ...]
    bulky: bool = False
    options: tuple[str, ...] = ()

    @property
    def product_id(self) -> str:
        return f"prd_{self.code.lower()}"

    def variants(self) -> list[NewVariant]:
        found = []
        for size, price in self.sizes:
            for colour in self.colours:
                parts = [self.code] + [p for p in (size, colour) if p]
                sku = "-".join(p.upper().replace(" ", "") for p in parts)
                found.append(
                    NewVariant(
                        id=variant_id(sku), sku=sku, price=Decimal(price), size=size, colour=colour
                    )
                )
        return found


def variant_id(sku: str) -> str:
    return f"var_{sku.lower()}"


def one(price: str) -> tuple[tuple[str, str], ...]:
    """A single size (none named) at ``price``."""
    return (("", price),)


CATALOG: tuple[Item, ...] = (
    Item("JKT", "Harbor Rain Jacket", "outerwear", "Seam-sealed shell with a packable hood.",
         (("S", "129.00"), ("M", "129.00"), ("L", "129.00"), ("XL", "139.00")),
         ("navy", "olive"), options=("monogram",)),
    Item("SWT", "Beacon Merino Crew", "knitwear", "Fine merino crew-neck sweater.",
         (("S", "89.00"), ("M", "89.00"), ("L", "89.00")), ("heather grey", "oatmeal", "forest")),
    Item("OXF", "Back Bay Oxford Shirt", "shirts", "Button-down oxford cloth shirt.",
         (("S", "59.50"), ("M", "59.50"), ("L", "59.50"), ("XL", "64.50")), ("white", "blue"),
         options=("monogram",)),
    Item("CHN", "Commonwealth Chino", "trousers", "Stretch cotton chino, hemmed to order.",
         (("30", "68.00"), ("32", "68.00"), ("34", "68.00"), ("36", "72.00")), ("khaki", "navy"),
         options=("hem_length",)),
    Item("FLC", "Fenway Fleece Pullover", "outerwear", "Quarter-zip recycled fleece.",
         (("S", "54.00"), ("M", "54.00"), ("L", "54.00")), ("red", "charcoal")),
    Item("RUN", "Charles River Trail Runner", "footwear", "Light trail shoe with a grippy sole.",
         (("8", "110.00"), ("9", "110.00"), ("10", "110.00"), ("11", "110.00")),
         ("black", "blue")),
    Item("TOT", "Nantucket Canvas Tote", "accessories", "Heavy canvas tote with leather handles.",
         one("38.00"), ("natural", "navy stripe"), options=("monogram",)),
    Item("BNE", "Cape Cod Cable Beanie", "accessories", "Cable-knit wool beanie.",
         one("24.00"), ("cream", "navy", "red")),
    Item("SOF", "Beacon Hill Three-Seat Sofa", "furniture", "Down-wrapped three-seat sofa.",
         one("1299.00"), ("slate", "sand"), bulky=True),
    Item("TBL", "Arbor Oak Dining Table", "furniture", "Solid white-oak dining table.",
         (("6-seat", "899.00"), ("8-seat", "1099.00")), ("natural oak",), bulky=True),
    Item("CHR", "Cambridge Reading Chair", "furniture", "Deep armchair in performance weave.",
         one("649.00"), ("rust", "navy"), bulky=True),
    Item("DUV", "Quincy Linen Duvet Cover", "bedding", "Stonewashed linen duvet cover.",
         (("Queen", "149.00"), ("King", "169.00")), ("white", "sage")),
    Item("SHT", "Marblehead Percale Sheet Set", "bedding", "Crisp cotton percale sheet set.",
         (("Twin", "79.00"), ("Queen", "99.00"), ("King", "109.00")), ("white", "sky")),
    Item("THR", "Berkshire Wool Throw", "home", "Woven lambswool throw.",
         one("120.00"), ("red plaid", "grey")),
    Item("LMP", "Harborlight Table Lamp", "lighting", "Table lamp with a linen shade.",
         one("145.00"), ("brass", "matte black")),
    Item("MUG", "Salem Enamel Mug", "kitchen", "Enamelled steel camp mug.",
         one("14.00"), ("white", "cobalt")),
    Item("PLT", "Granite Stoneware Plates", "kitchen", "Set of four stoneware dinner plates.",
         one("64.00"), ("speckled", "charcoal")),
)  # fmt: skip


def _product(item: Item) -> NewProduct:
    variants = item.variants()
    return NewProduct(
        id=item.product_id,
        name=item.name,
        description=item.description,
        category=item.category,
        brand="Careline Goods",
        bulky=item.bulky,
        options=list(item.options),
        variants=variants,
    )


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    line1: str
    city: str
    postal_code: str
    latitude: float
    longitude: float
    phone: str
    kind: LocationKind = LocationKind.STORE

    @property
    def id(self) -> str:
        return location_id(self.code)


def location_id(code: str) -> str:
    return f"loc_{code.lower()}"


PLACES: tuple[Place, ...] = (
    Place("BOS-BB", "Careline Back Bay", "500 Boylston St", "Boston", "02116",
          42.3499, -71.0745, "617-555-0110"),
    Place("CAM-HS", "Careline Harvard Square", "1400 Massachusetts Ave", "Cambridge", "02138",
          42.3733, -71.1189, "617-555-0120"),
    Place("SOM-AR", "Careline Assembly Row", "355 Artisan Way", "Somerville", "02145",
          42.3925, -71.0772, "617-555-0130"),
    Place("BRK-CC", "Careline Coolidge Corner", "1309 Beacon St", "Brookline", "02446",
          42.3420, -71.1216, "617-555-0140"),
    Place("NEW-CH", "Careline Chestnut Hill", "199 Boylston St", "Newton", "02467",
          42.3225, -71.1665, "617-555-0150"),
    Place("QCY-QC", "Careline Quincy Center", "1500 Hancock St", "Quincy", "02169",
          42.2510, -71.0035, "617-555-0160"),
    Place("BUR-MT", "Careline Burlington", "75 Middlesex Tpke", "Burlington", "01803",
          42.4850, -71.2180, "781-555-0170"),
    Place("WH-WOB", "Woburn Distribution Center", "100 Commerce Way", "Woburn", "01801",
          42.5044, -71.1297, "781-555-0180", LocationKind.WAREHOUSE),
    Place("WH-TAU", "Taunton Fulfilment Center", "50 Myles Standish Blvd", "Taunton", "02780",
          41.9430, -71.1060, "508-555-0190", LocationKind.WAREHOUSE),
)  # fmt: skip
STORE_HOURS = "Mon-Sat 10:00-21:00, Sun 11:00-18:00"
WAREHOUSE_HOURS = "Receiving Mon-Fri 07:00-15:00"

# Stock the scenarios rely on, over the rule: (SKU, location code) -> on hand.
OUT_OF_STOCK_EVERYWHERE = "RUN-11-BLUE"
STOCK_OVERRIDES: dict[tuple[str, str], int] = {
    # The jacket a shopper asks about near 02139: not at Harvard Square, a few at Back Bay.
    ("JKT-M-NAVY", "CAM-HS"): 0,
    ("JKT-M-NAVY", "BOS-BB"): 4,
    ("JKT-M-NAVY", "SOM-AR"): 2,
    ("JKT-M-NAVY", "BRK-CC"): 0,
    # Pickup orders collect these.
    ("SWT-M-OATMEAL", "BOS-BB"): 6,
    ("OXF-M-BLUE", "BOS-BB"): 5,
    ("CHN-32-KHAKI", "CAM-HS"): 4,
    ("TOT-NATURAL", "BOS-BB"): 8,
}


def stock_for(sku: str, place: Place, bulky: bool) -> int:
    """How many units of ``sku`` are on hand at ``place``: warehouses carry plenty of
    everything, stores a few of what fits on a shop floor, with gaps."""
    if (sku, place.code) in STOCK_OVERRIDES:
        return STOCK_OVERRIDES[(sku, place.code)]
    if sku == OUT_OF_STOCK_EVERYWHERE:
        return 0
    spread = zlib.crc32(f"{sku}@{place.code}".encode())
    if place.kind is LocationKind.WAREHOUSE:
        return 20 + spread % 40 if not bulky else 6 + spread % 6
    if bulky:
        return 0 if spread % 3 else 1
    count = spread % 9
    return 0 if count < 2 else count


def _location(place: Place) -> NewLocation:
    warehouse = place.kind is LocationKind.WAREHOUSE
    return NewLocation(
        id=place.id,
        code=place.code,
        name=place.name,
        kind=place.kind,
        address=AddressModel(
            name=place.name,
            company="Careline Goods",
            line1=place.line1,
            city=place.city,
            region="MA",
            postal_code=place.postal_code,
            phone=place.phone,
        ),
        latitude=place.latitude,
        longitude=place.longitude,
        phone=place.phone,
        hours=WAREHOUSE_HOURS if warehouse else STORE_HOURS,
        pickup=not warehouse,
    )


def _promotions(seeding: Seeding) -> list[NewPromotion]:
    now = seeding.clock.real_now()
    return [
        NewPromotion(code="WELCOME10", description="10% off a first order",
                     kind=PromotionKind.PERCENT, value=Decimal("10")),
        NewPromotion(code="HOME20", description="$20 off home goods over $150",
                     kind=PromotionKind.AMOUNT, value=Decimal("20"),
                     min_subtotal=Decimal("150")),
        NewPromotion(code="SHIPFREE", description="Free shipping over $50",
                     kind=PromotionKind.FREE_SHIPPING, min_subtotal=Decimal("50")),
        NewPromotion(code="TRADE15", description="15% trade discount over $1,000",
                     kind=PromotionKind.PERCENT, value=Decimal("15"),
                     min_subtotal=Decimal("1000")),
        NewPromotion(code="SUMMER25", description="Summer sale (ended)",
                     kind=PromotionKind.PERCENT, value=Decimal("25"),
                     starts_at=now - timedelta(days=150), ends_at=now - timedelta(days=60)),
        NewPromotion(code="HOLIDAY15", description="Holiday preview (starts next week)",
                     kind=PromotionKind.PERCENT, value=Decimal("15"),
                     starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=40)),
    ]  # fmt: skip


async def _has_product(seeding: Seeding, product_id: str) -> bool:
    try:
        await seeding.shop.get_product(product_id)
    except NotFound:
        return False
    return True


async def load_catalog(seeding: Seeding) -> None:
    """Products, locations with their stock, promotions: whatever is not there yet."""
    shop = seeding.shop
    for item in CATALOG:
        if not await _has_product(seeding, item.product_id):
            await shop.add_product(_product(item))
    promotions = _promotions(seeding)
    async with shop.uow() as uow:
        known = {loc.id for loc in await uow.catalog.list_locations()}
        known_codes = {p.code for p in promotions if await uow.catalog.get_promotion(p.code)}
    for place in PLACES:
        if place.id in known:
            continue
        await shop.add_location(_location(place))
        # Counted once, when the place opens (a second run must not undo the sales since),
        # in one transaction per place: the repository's inventory count, as set_stock does.
        async with shop.uow() as uow:
            for item in CATALOG:
                for variant in _product(item).variants:
                    on_hand = stock_for(variant.sku, place, item.bulky)
                    if on_hand and variant.id:
                        await uow.catalog.set_stock(place.id, variant.id, on_hand)
            await uow.commit()
    for promotion in promotions:
        if promotion.code not in known_codes:
            await shop.add_promotion(promotion)
