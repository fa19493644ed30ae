"""The storefront's carts: one open cart per customer or guest visitor.

Customer care's side of a cart (lock into a draft order, unlock, convert) happens inside the
order use cases, in the same transaction as the order it concerns.
"""

from __future__ import annotations

from customers.carts import Cart, owner_key
from customers.errors import NotFound, VersionConflict
from customers.kernel import DEFAULT_CURRENCY, DomainEvent, new_id
from customers.ports import CustomersUnitOfWork
from customers.schemas import AddCartItem, CartOwnerIn, CartView, ChangeCartItem
from customers.views import cart_view


def cart_event(cart: Cart, kind: str, **data: str | None) -> DomainEvent:
    return DomainEvent(
        type=f"cart.{kind}",
        aggregate="cart",
        aggregate_id=cart.id,
        occurred_at=cart.updated_at,
        data={
            "cart_id": cart.id,
            "visitor_id": cart.visitor_id,
            "customer_id": cart.customer_id,
            "status": cart.status.value,
            **data,
        },
        version=cart.version,
    )


async def get_or_create_cart(uow: CustomersUnitOfWork, owner: CartOwnerIn) -> CartView:
    """The owner's open cart, made on first use. A guest who signs in keeps their cart."""
    key = owner_key(visitor_id=owner.visitor_id, customer_id=owner.customer_id)
    try:
        return await _get_or_create(uow, owner, key)
    except VersionConflict:
        # Two first page views raced to make the cart: the other one won, use it.
        async with uow:
            cart = await uow.carts.get_open(key)
            if cart is None:
                raise
            return cart_view(cart)


async def _get_or_create(uow: CustomersUnitOfWork, owner: CartOwnerIn, key: str) -> CartView:
    async with uow:
        cart = await uow.carts.get_open(key)
        if cart is not None:
            return cart_view(cart)
        now = uow.now()
        if owner.customer_id and owner.visitor_id:
            if await uow.customers.get(owner.customer_id) is None:
                raise NotFound("customer", owner.customer_id)
            guest = await uow.carts.get_open(
                owner_key(visitor_id=owner.visitor_id, customer_id=None)
            )
            if guest is not None:
                guest.adopt(owner.customer_id, now)
                await uow.carts.save(guest)
                uow.emit(cart_event(guest, "changed", action="adopt"))
                await uow.commit()
                return cart_view(guest)
        elif owner.customer_id and await uow.customers.get(owner.customer_id) is None:
            raise NotFound("customer", owner.customer_id)
        cart = Cart(
            id=new_id("cart"),
            visitor_id=owner.visitor_id,
            customer_id=owner.customer_id,
            currency=DEFAULT_CURRENCY,
            created_at=now,
            updated_at=now,
        )
        await uow.carts.add(cart)
        await uow.commit()
    return cart_view(cart)


async def find_open_cart(uow: CustomersUnitOfWork, owner: CartOwnerIn) -> CartView | None:
    """The open cart of a customer or visitor, if there is one (the CSR's customer panel)."""
    key = owner_key(visitor_id=owner.visitor_id, customer_id=owner.customer_id)
    async with uow:
        cart = await uow.carts.get_open(key)
    return None if cart is None else cart_view(cart)


async def get_cart(uow: CustomersUnitOfWork, cart_id: str) -> CartView:
    async with uow:
        return cart_view(await _load(uow, cart_id))


async def _load(uow: CustomersUnitOfWork, cart_id: str) -> Cart:
    cart = await uow.carts.get(cart_id)
    if cart is None:
        raise NotFound("cart", cart_id)
    return cart


async def add_cart_item(uow: CustomersUnitOfWork, cart_id: str, cmd: AddCartItem) -> CartView:
    async with uow:
        cart = await _load(uow, cart_id)
        item = await uow.items.cart_item(cmd.variant_id)
        if item is None:
            raise NotFound("variant", cmd.variant_id)
        cart.add_item(item, cmd.quantity, uow.now())
        await uow.carts.save(cart)
        uow.emit(cart_event(cart, "changed", action="add_item", variant_id=cmd.variant_id))
        await uow.commit()
    return cart_view(cart)


async def change_cart_item(
    uow: CustomersUnitOfWork, cart_id: str, line_id: str, cmd: ChangeCartItem
) -> CartView:
    async with uow:
        cart = await _load(uow, cart_id)
        cart.change_quantity(line_id, cmd.quantity, uow.now())
        await uow.carts.save(cart)
        uow.emit(cart_event(cart, "changed", action="change_quantity", line_id=line_id))
        await uow.commit()
    return cart_view(cart)


async def remove_cart_item(uow: CustomersUnitOfWork, cart_id: str, line_id: str) -> CartView:
    async with uow:
        cart = await _load(uow, cart_id)
        cart.remove_line(line_id, uow.now())
        await uow.carts.save(cart)
        uow.emit(cart_event(cart, "changed", action="remove_item", line_id=line_id))
        await uow.commit()
    return cart_view(cart)
