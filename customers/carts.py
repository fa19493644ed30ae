"""Shopping carts and the browsing trail.

A cart belongs to a customer or, for a guest, to a chat visitor id. There is at most one open
cart (active or locked) per owner. While customer care turns the cart into a draft order, the cart
is locked: the storefront cannot change what the CSR is working from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from customers.errors import CartLocked, InvalidInput, NotFound, Refused
from customers.kernel import ZERO, money, new_id

MAX_LINE_QUANTITY = 99
MAX_CART_LINES = 50


class CartStatus(StrEnum):
    ACTIVE = "active"
    LOCKED = "locked"
    CONVERTED = "converted"
    ABANDONED = "abandoned"


OPEN_STATUSES = frozenset({CartStatus.ACTIVE, CartStatus.LOCKED})


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """What a cart needs to know of a sellable variant (given by the catalog through a port)."""

    variant_id: str
    product_id: str
    sku: str
    name: str
    variant_label: str
    unit_price: Decimal
    currency: str
    active: bool = True


@dataclass(slots=True)
class CartLine:
    id: str
    variant_id: str
    product_id: str
    sku: str
    name: str
    variant_label: str
    quantity: int
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return money(self.unit_price * self.quantity)


def owner_key(*, visitor_id: str | None, customer_id: str | None) -> str:
    """The one-open-cart-per-owner key: a signed-in customer's cart follows the customer."""
    if customer_id:
        return f"customer:{customer_id}"
    if visitor_id:
        return f"visitor:{visitor_id}"
    raise InvalidInput("A cart belongs to a customer or a visitor.", code="invalid_cart_owner")


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidInput(
            f"Quantity must be between 1 and {MAX_LINE_QUANTITY}.",
            code="invalid_quantity",
            details={"quantity": quantity, "max": MAX_LINE_QUANTITY},
        )


@dataclass
class Cart:
    id: str
    visitor_id: str | None
    customer_id: str | None
    currency: str
    created_at: datetime
    updated_at: datetime
    status: CartStatus = CartStatus.ACTIVE
    lines: list[CartLine] = field(default_factory=list)
    locked_by_order: str | None = None
    version: int = 1
    loaded_version: int = 0

    @property
    def owner(self) -> str:
        return owner_key(visitor_id=self.visitor_id, customer_id=self.customer_id)

    @property
    def subtotal(self) -> Decimal:
        return money(sum((line.total for line in self.lines), ZERO))

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def line(self, line_id: str) -> CartLine:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise NotFound("cart line", line_id)

    def _ensure_editable(self) -> None:
        if self.status is CartStatus.LOCKED:
            raise CartLocked(self.id, self.locked_by_order)
        if self.status is not CartStatus.ACTIVE:
            raise Refused(
                f"This cart is {self.status.value} and can no longer be changed.",
                code="cart_closed",
                details={"cart_id": self.id, "status": self.status.value},
            )

    def _touch(self, now: datetime) -> None:
        self.updated_at = now
        self.version += 1

    def add_item(self, item: CatalogItem, quantity: int, now: datetime) -> CartLine:
        self._ensure_editable()
        _check_quantity(quantity)
        if not item.active:
            raise Refused(
                f"{item.name} ({item.variant_label}) is no longer sold.",
                code="variant_unavailable",
                details={"variant_id": item.variant_id},
            )
        if item.currency != self.currency:
            raise InvalidInput(
                f"This cart is in {self.currency}, the item is priced in {item.currency}.",
                code="currency_mismatch",
            )
        for line in self.lines:
            if line.variant_id == item.variant_id:
                _check_quantity(line.quantity + quantity)
                line.quantity += quantity
                line.unit_price = item.unit_price
                self._touch(now)
                return line
        if len(self.lines) >= MAX_CART_LINES:
            raise Refused(f"A cart holds at most {MAX_CART_LINES} lines.", code="cart_full")
        line = CartLine(
            id=new_id("cl"),
            variant_id=item.variant_id,
            product_id=item.product_id,
            sku=item.sku,
            name=item.name,
            variant_label=item.variant_label,
            quantity=quantity,
            unit_price=item.unit_price,
        )
        self.lines.append(line)
        self._touch(now)
        return line

    def change_quantity(self, line_id: str, quantity: int, now: datetime) -> None:
        self._ensure_editable()
        line = self.line(line_id)
        if quantity == 0:
            self.lines.remove(line)
        else:
            _check_quantity(quantity)
            line.quantity = quantity
        self._touch(now)

    def remove_line(self, line_id: str, now: datetime) -> None:
        self._ensure_editable()
        self.lines.remove(self.line(line_id))
        self._touch(now)

    def adopt(self, customer_id: str, now: datetime) -> None:
        """A guest signs in: their cart becomes the customer's."""
        self.customer_id = customer_id
        self._touch(now)

    # --- customer care's side -------------------------------------------------------------

    def lock_for(self, order_number: str, now: datetime) -> None:
        if self.status is CartStatus.LOCKED:
            raise CartLocked(self.id, self.locked_by_order)
        self._ensure_editable()
        if not self.lines:
            raise InvalidInput("The cart is empty: there is nothing to order.", code="cart_empty")
        self.status = CartStatus.LOCKED
        self.locked_by_order = order_number
        self._touch(now)

    def unlock(self, now: datetime) -> None:
        if self.status is CartStatus.LOCKED:
            self.status = CartStatus.ACTIVE
            self.locked_by_order = None
            self._touch(now)

    def convert(self, now: datetime) -> None:
        if self.status is CartStatus.LOCKED:
            self.status = CartStatus.CONVERTED
            self._touch(now)


@dataclass(frozen=True, slots=True)
class PageView:
    visitor_id: str
    url: str
    title: str
    viewed_at: datetime
