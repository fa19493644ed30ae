"""Looking things up: orders, their history and earlier versions, invoices, price matches,
a customer's purchase history and the CSR's panel beside a conversation."""

from __future__ import annotations

from customers.carts import owner_key
from customers.errors import NotFound
from customers.kernel import ZERO
from customers.usecases.trail import MAX_TRAIL
from customers.views import cart_view, customer_view, page_view_view
from orders.domain.enums import OrderStatus
from orders.ports import OrderSearch, OrdersUnitOfWork
from orders.schemas.views import (
    ChangeView,
    CustomerPanelView,
    InvoiceView,
    OrderQuery,
    OrderSummaryView,
    OrderView,
    PriceMatchQuery,
    PriceMatchView,
    PurchaseHistoryView,
)
from orders.summaries import change_view, price_match_view, summary_view
from orders.usecases.base import load
from orders.views import invoice_view, order_view

# What counts as bought: placed and not (entirely) cancelled.
_NOT_BOUGHT = frozenset(
    {OrderStatus.DRAFT, OrderStatus.QUOTE, OrderStatus.DISCARDED, OrderStatus.CANCELLED}
)


async def get_order(uow: OrdersUnitOfWork, number: str) -> OrderView:
    async with uow:
        return order_view(await load(uow, number))


async def search_orders(uow: OrdersUnitOfWork, query: OrderQuery) -> list[OrderSummaryView]:
    """By number, status, customer id or name, e-mail, ship-to name, hold; newest first.
    Names and e-mails match in part and in any case."""
    async with uow:
        found = await uow.orders.search(
            OrderSearch(
                number=query.number.strip().upper() if query.number else None,
                status=query.status,
                customer_id=query.customer_id,
                customer_name=query.customer_name,
                email=query.email,
                ship_to_name=query.ship_to_name,
                on_hold=query.on_hold,
                limit=query.limit,
                offset=query.offset,
            )
        )
    return [summary_view(s) for s in found]


async def order_history(uow: OrdersUnitOfWork, number: str) -> list[ChangeView]:
    """Every version of the order: who changed what, when and why (oldest first)."""
    async with uow:
        order = await load(uow, number)
        return [change_view(c) for c in await uow.orders.history(order.id)]


async def order_version(uow: OrdersUnitOfWork, number: str, version: int) -> OrderView:
    """The order as it was at ``version``."""
    async with uow:
        order = await load(uow, number)
        body = await uow.orders.snapshot(order.id, version)
    if body is None:
        raise NotFound("order version", f"{order.number} v{version}")
    return OrderView.model_validate(body)


async def find_invoice(uow: OrdersUnitOfWork, invoice_number: str) -> InvoiceView:
    key = invoice_number.strip().upper()
    async with uow:
        number = await uow.orders.number_for_invoice(key)
        if number is None:
            raise NotFound("invoice", invoice_number)
        order = await load(uow, number)
    invoice = next(inv for inv in order.invoices if inv.number == key)
    return invoice_view(order, invoice)


async def search_price_matches(
    uow: OrdersUnitOfWork, query: PriceMatchQuery
) -> list[PriceMatchView]:
    async with uow:
        found = await uow.price_matches.search(
            competitor=query.competitor,
            product_id=query.product_id,
            sku=query.sku,
            order_number=query.order_number.strip().upper() if query.order_number else None,
            customer_id=query.customer_id,
            limit=query.limit,
        )
    return [price_match_view(r) for r in found]


async def purchase_history(
    uow: OrdersUnitOfWork, customer_id: str, limit: int = 50
) -> PurchaseHistoryView:
    async with uow:
        if await uow.customers.get(customer_id) is None:
            raise NotFound("customer", customer_id)
        found = await uow.orders.search(
            OrderSearch(customer_id=customer_id, include_drafts=True, limit=500)
        )
    bought = [s for s in found if s.status not in _NOT_BOUGHT]
    return PurchaseHistoryView(
        customer_id=customer_id,
        order_count=len(bought),
        lifetime_spend=sum((s.grand_total for s in bought), ZERO),
        currency=bought[0].currency if bought else "USD",
        orders=[summary_view(s) for s in found[:limit]],
    )


async def customer_panel(
    uow: OrdersUnitOfWork, *, customer_id: str | None, visitor_id: str | None
) -> CustomerPanelView:
    """Who the CSR is talking to: the profile, recent orders, the open cart, pages viewed."""
    async with uow:
        customer = await uow.customers.get(customer_id) if customer_id else None
        orders = (
            await uow.orders.search(OrderSearch(customer_id=customer_id, limit=10))
            if customer_id
            else []
        )
        cart = None
        if customer_id or visitor_id:
            cart = await uow.carts.get_open(
                owner_key(visitor_id=visitor_id, customer_id=customer_id)
            )
        trail = await uow.page_views.recent(visitor_id, 20) if visitor_id else []
    return CustomerPanelView(
        customer=customer_view(customer) if customer else None,
        orders=[summary_view(s) for s in orders],
        cart=cart_view(cart) if cart else None,
        trail=[page_view_view(v) for v in trail[:MAX_TRAIL]],
    )
