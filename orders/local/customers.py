"""Catalog, customers, carts and trail, in process."""

from __future__ import annotations

from typing import Any

from customers.kernel import Actor
from customers.schemas import (
    AddCartItem,
    AddressIn,
    CartOwnerIn,
    CartView,
    ChangeCartItem,
    ContactIn,
    CustomerNoteIn,
    CustomerQuery,
    CustomerSummary,
    CustomerView,
    PageViewView,
    PaymentMethodIn,
    PreferencesModel,
    RegisterCustomer,
    UpdateCustomer,
)
from customers.usecases import carts, profiles, trail
from orders.catalog import usecases as catalog
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
    StoreView,
)
from orders.local.base import LocalBase
from orders.schemas.views import CustomerPanelView, PurchaseHistoryView
from orders.usecases import queries


class LocalCatalog(LocalBase):
    async def list_products(self, query: ProductQuery) -> list[ProductView]:
        return await catalog.list_products(self.uow(), query)

    async def get_product(self, product_id: str) -> ProductView:
        return await catalog.get_product(self.uow(), product_id)

    async def list_stores(self) -> list[StoreView]:
        return await catalog.list_stores(self.uow())

    async def availability_near(self, query: AvailabilityQuery) -> AvailabilityView:
        return await catalog.availability_near(self.uow(), query)

    async def stock_of(self, variant_id: str) -> list[StockView]:
        return await catalog.stock_of(self.uow(), variant_id)

    # Keeping the catalog (the seed, an integration).
    async def add_product(self, cmd: NewProduct) -> ProductView:
        return await catalog.add_product(self.uow(), cmd)

    async def set_variant_active(self, variant_id: str, active: bool) -> ProductView:
        return await catalog.set_variant_active(self.uow(), variant_id, active)

    async def add_location(self, cmd: NewLocation) -> StoreView:
        return await catalog.add_location(self.uow(), cmd)

    async def set_stock(self, cmd: SetStock) -> StockView:
        return await catalog.set_stock(self.uow(), cmd)

    async def add_promotion(self, cmd: NewPromotion) -> PromotionView:
        return await catalog.add_promotion(self.uow(), cmd)


class LocalCustomers(LocalBase):
    async def register_customer(self, cmd: RegisterCustomer) -> CustomerView:
        return await profiles.register_customer(self.uow(), cmd)

    async def get_customer(self, customer_id: str) -> CustomerView:
        return await profiles.get_customer(self.uow(), customer_id)

    async def list_customers(self, query: CustomerQuery) -> list[CustomerSummary]:
        return await profiles.list_customers(self.uow(), query)

    async def update_customer(self, customer_id: str, cmd: UpdateCustomer) -> CustomerView:
        return await profiles.update_customer(self.uow(), customer_id, cmd)

    async def add_customer_address(self, customer_id: str, cmd: AddressIn) -> CustomerView:
        return await profiles.add_customer_address(self.uow(), customer_id, cmd)

    async def remove_customer_address(self, customer_id: str, address_id: str) -> CustomerView:
        return await profiles.remove_customer_address(self.uow(), customer_id, address_id)

    async def add_contact(self, customer_id: str, cmd: ContactIn) -> CustomerView:
        return await profiles.add_contact(self.uow(), customer_id, cmd)

    async def add_payment_method(self, customer_id: str, cmd: PaymentMethodIn) -> CustomerView:
        return await profiles.add_payment_method(self.uow(), customer_id, cmd)

    async def remove_payment_method(self, customer_id: str, method_id: str) -> CustomerView:
        return await profiles.remove_payment_method(self.uow(), customer_id, method_id)

    async def update_preferences(self, customer_id: str, cmd: PreferencesModel) -> CustomerView:
        return await profiles.update_preferences(self.uow(), customer_id, cmd)

    async def add_customer_note(
        self, actor: Actor, customer_id: str, cmd: CustomerNoteIn
    ) -> CustomerView:
        return await profiles.add_customer_note(self.uow(), actor, customer_id, cmd)

    async def purchase_history(self, customer_id: str) -> PurchaseHistoryView:
        return await queries.purchase_history(self.uow(), customer_id)

    async def customer_panel(
        self, *, customer_id: str | None, visitor_id: str | None
    ) -> CustomerPanelView:
        return await queries.customer_panel(
            self.uow(), customer_id=customer_id, visitor_id=visitor_id
        )

    async def demo_customers(self, limit: int) -> list[dict[str, Any]]:
        """A few customers for the demo shop's "sign in as" list."""
        found = await self.list_customers(CustomerQuery(limit=min(max(limit, 1), 200)))
        return [{"id": c.id, "name": c.name, "email": c.email, "kind": c.kind.value} for c in found]

    # --- carts and the trail -----------------------------------------------------------------

    async def get_or_create_cart(self, owner: CartOwnerIn) -> CartView:
        return await carts.get_or_create_cart(self.uow(), owner)

    async def find_open_cart(self, owner: CartOwnerIn) -> CartView | None:
        return await carts.find_open_cart(self.uow(), owner)

    async def get_cart(self, cart_id: str) -> CartView:
        return await carts.get_cart(self.uow(), cart_id)

    async def add_cart_item(self, cart_id: str, cmd: AddCartItem) -> CartView:
        return await carts.add_cart_item(self.uow(), cart_id, cmd)

    async def change_cart_item(self, cart_id: str, line_id: str, cmd: ChangeCartItem) -> CartView:
        return await carts.change_cart_item(self.uow(), cart_id, line_id, cmd)

    async def remove_cart_item(self, cart_id: str, line_id: str) -> CartView:
        return await carts.remove_cart_item(self.uow(), cart_id, line_id)

    async def record_page_view(self, visitor_id: str, url: str, title: str) -> None:
        await trail.record_page_view(self.uow(), visitor_id, url, title)

    async def browsing_trail(self, visitor_id: str, limit: int = 20) -> list[PageViewView]:
        return await trail.browsing_trail(self.uow(), visitor_id, limit)
