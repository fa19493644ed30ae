"""Pydantic models in and out of the catalog use cases (storefront and order desk)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from customers.schemas import AddressModel, Amount, Model
from orders.catalog.model import LocationKind, PromotionKind

Id = Annotated[str, Field(min_length=1, max_length=64)]


class ProductQuery(Model):
    q: Annotated[str, Field(max_length=200)] | None = None
    category: Annotated[str, Field(max_length=100)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class VariantView(Model):
    id: str
    sku: str
    size: str
    colour: str
    label: str
    price: Decimal
    currency: str
    active: bool


class ProductView(Model):
    id: str
    name: str
    description: str
    category: str
    brand: str
    bulky: bool
    active: bool
    options: list[str]
    variants: list[VariantView]


class StoreView(Model):
    id: str
    code: str
    name: str
    kind: LocationKind
    address: AddressModel
    latitude: float
    longitude: float
    phone: str
    hours: str
    pickup: bool


class AvailabilityQuery(Model):
    """Where to look: a ZIP code, an address containing one, or coordinates."""

    variant_id: Id
    postal_code: Annotated[str, Field(max_length=10)] | None = None
    address: Annotated[str, Field(max_length=500)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    radius_km: Annotated[float, Field(gt=0, le=500)] = 50.0
    quantity: Annotated[int, Field(ge=1, le=999)] = 1
    in_stock_only: bool = False
    limit: Annotated[int, Field(ge=1, le=50)] = 10

    @model_validator(mode="after")
    def _somewhere(self) -> Self:
        if not (self.postal_code or self.address or self.latitude is not None):
            raise ValueError("give postal_code, address, or latitude and longitude")
        return self


class StoreAvailabilityView(Model):
    store: StoreView
    distance_km: float
    available: int
    in_stock: bool


class AvailabilityView(Model):
    variant: VariantView
    product_name: str
    origin: str
    latitude: float
    longitude: float
    stores: list[StoreAvailabilityView]


# --- maintaining the catalog (the seed, an integration) --------------------------------------


class NewVariant(Model):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    price: Amount
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    size: Annotated[str, Field(max_length=32)] = ""
    colour: Annotated[str, Field(max_length=32)] = ""
    id: Id | None = None


class NewProduct(Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=4000)] = ""
    category: Annotated[str, Field(max_length=100)] = ""
    brand: Annotated[str, Field(max_length=100)] = ""
    bulky: bool = False
    options: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=10)] = []
    variants: Annotated[list[NewVariant], Field(min_length=1, max_length=100)]
    id: Id | None = None


class NewLocation(Model):
    code: Annotated[str, Field(min_length=1, max_length=32)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: LocationKind = LocationKind.STORE
    address: AddressModel
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    phone: Annotated[str, Field(max_length=40)] = ""
    hours: Annotated[str, Field(max_length=200)] = ""
    pickup: bool = True
    id: Id | None = None


class SetStock(Model):
    location_id: Id
    variant_id: Id
    on_hand: Annotated[int, Field(ge=0, le=1_000_000)]


class StockView(Model):
    location_id: str
    variant_id: str
    on_hand: int
    reserved: int
    available: int


class NewPromotion(Model):
    code: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
    description: Annotated[str, Field(max_length=200)] = ""
    kind: PromotionKind
    value: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] = Decimal(0)
    min_subtotal: Amount = Decimal(0)
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class PromotionView(Model):
    code: str
    description: str
    kind: PromotionKind
    value: Decimal
    min_subtotal: Decimal
    starts_at: datetime | None
    ends_at: datetime | None
    active: bool
