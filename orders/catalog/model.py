"""Catalog domain: what is sold, where it is stocked, and which promotion codes exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from customers.errors import InvalidInput, NotFound, Refused
from customers.kernel import ZERO, Address, money


@dataclass(slots=True)
class Variant:
    id: str
    product_id: str
    sku: str
    price: Decimal
    currency: str
    size: str = ""
    colour: str = ""
    active: bool = True

    @property
    def label(self) -> str:
        return " / ".join(p for p in (self.size, self.colour) if p) or "standard"


@dataclass
class Product:
    id: str
    name: str
    description: str = ""
    category: str = ""
    brand: str = ""
    # Bulky goods go by freight with a delivery appointment and carry a handling charge.
    bulky: bool = False
    active: bool = True
    # Configuration choices a line may carry (monogram, hem length...): allowed keys.
    options: list[str] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)

    def variant(self, variant_id: str) -> Variant:
        for variant in self.variants:
            if variant.id == variant_id:
                return variant
        raise NotFound("variant", variant_id)

    def check_configuration(self, configuration: dict[str, str]) -> None:
        unknown = sorted(set(configuration) - set(self.options))
        if unknown:
            raise InvalidInput(
                f"{self.name} cannot be configured with {', '.join(unknown)}.",
                code="invalid_configuration",
                details={"unknown": unknown, "allowed": self.options},
            )


@dataclass(frozen=True, slots=True)
class SellableVariant:
    """A variant with its product: what an order line is made from."""

    product: Product
    variant: Variant

    def check_sellable(self) -> None:
        if not (self.product.active and self.variant.active):
            raise Refused(
                f"{self.product.name} ({self.variant.label}) is no longer sold.",
                code="variant_unavailable",
                details={"variant_id": self.variant.id, "sku": self.variant.sku},
            )


class LocationKind(StrEnum):
    STORE = "store"
    WAREHOUSE = "warehouse"


@dataclass(slots=True)
class Location:
    id: str
    code: str
    name: str
    kind: LocationKind
    address: Address
    latitude: float
    longitude: float
    phone: str = ""
    hours: str = ""
    # Whether shoppers may pick orders up here.
    pickup: bool = True


@dataclass(slots=True)
class StockLevel:
    location_id: str
    variant_id: str
    on_hand: int
    reserved: int = 0

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved)


@dataclass(frozen=True, slots=True)
class StockMove:
    """A change to stock that an order action implies, applied atomically by the repository.

    ``reserve`` holds units for an order line; ``consume`` takes them off the shelf when they
    ship (reserved and on hand both drop); ``release`` gives a reservation back.
    """

    location_id: str
    variant_id: str
    reserve: int = 0
    consume: int = 0
    release: int = 0


class PromotionKind(StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"
    FREE_SHIPPING = "free_shipping"


@dataclass(slots=True)
class Promotion:
    code: str
    description: str
    kind: PromotionKind
    value: Decimal = ZERO
    min_subtotal: Decimal = ZERO
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    active: bool = True

    def check_applicable(self, subtotal: Decimal, now: datetime) -> None:
        if not self.active or (self.starts_at is not None and now < self.starts_at):
            raise Refused(
                f"The code {self.code} is not active.",
                code="coupon_invalid",
                details={"code": self.code},
            )
        if self.ends_at is not None and now >= self.ends_at:
            raise Refused(
                f"The code {self.code} expired on {self.ends_at.date().isoformat()}.",
                code="coupon_expired",
                details={"code": self.code, "ends_at": self.ends_at.isoformat()},
            )
        if subtotal < self.min_subtotal:
            raise Refused(
                f"The code {self.code} needs a merchandise total of at least "
                f"{money(self.min_subtotal)}; this order has {money(subtotal)}.",
                code="coupon_not_applicable",
                details={"code": self.code, "min_subtotal": str(money(self.min_subtotal))},
            )
