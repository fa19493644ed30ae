"""Customers, carts and the browsing trail on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customers.errors import DomainError
from customers.kernel import Actor, Role
from customers.model import ContactRole, CustomerKind
from customers.schemas import (
    AddCartItem,
    AddressIn,
    AddressModel,
    CartOwnerIn,
    ChangeCartItem,
    CompanyIn,
    ContactIn,
    CustomerNoteIn,
    CustomerQuery,
    PaymentMethodIn,
    PreferencesModel,
    RegisterCustomer,
)
from orders.catalog.schemas import NewProduct, NewVariant
from orders.local import LocalCommerce
from orders.persistence.uow import SqlUnitOfWork
from tests.unit.customers.fakes import FakeClock

AGENT = Actor("agent-1", "Alex Rivera", Role.AGENT)
HQ = AddressModel(
    name="Acme Receiving",
    company="Acme Corp",
    line1="1 Harbor Way",
    city="Boston",
    region="MA",
    postal_code="02210",
)


def acme(email: str = "purchasing@acme.example") -> RegisterCustomer:
    return RegisterCustomer(
        kind=CustomerKind.BUSINESS,
        first_name="Priya",
        last_name="Nair",
        email=email,
        phone="617-555-0100",
        company=CompanyIn(
            name="Acme Corp",
            tax_id="04-1234567",
            industry="logistics",
            tax_exempt=True,
            exemption_certificate="MA-EX-7781",
            payment_terms="net30",
        ),
        contacts=[
            ContactIn(
                name="Priya Nair",
                email="priya@acme.example",
                role=ContactRole.PURCHASE_MANAGER,
                is_primary=True,
            ),
            ContactIn(name="Tom Reyes", role=ContactRole.ACCOUNTS_PAYABLE),
        ],
        addresses=[AddressIn(address=HQ, label="HQ")],
        payment_methods=[
            PaymentMethodIn(kind="on_account", token="acct_acme", last4="0000"),
            PaymentMethodIn(
                token="tok_amex",
                brand="amex",
                last4="0005",
                exp_month=9,
                exp_year=2029,
                holder_name="Priya Nair",
            ),
        ],
        preferences=PreferencesModel(marketing_email=True, preferred_channel="phone"),
    )


async def test_a_business_customer_reads_back_whole(shop: LocalCommerce) -> None:
    registered = await shop.register_customer(acme())
    assert await shop.get_customer(registered.id) == registered
    assert registered.company is not None and registered.company.tax_exempt
    assert [c.role for c in registered.contacts] == [
        ContactRole.PURCHASE_MANAGER,
        ContactRole.ACCOUNTS_PAYABLE,
    ]
    view = await shop.add_customer_note(
        AGENT, registered.id, CustomerNoteIn(text="Dock closes at 4pm")
    )
    view = await shop.remove_payment_method(registered.id, view.payment_methods[0].id)
    assert await shop.get_customer(registered.id) == view
    assert [m.last4 for m in view.payment_methods] == ["0005"]
    assert view.payment_methods[0].is_default
    assert view.version == registered.version + 2


async def test_the_same_email_registered_at_once_twice_makes_one_customer(
    shop: LocalCommerce,
) -> None:
    results = await asyncio.gather(
        shop.register_customer(acme()), shop.register_customer(acme()), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].code == "customer_exists"
    assert len(await shop.list_customers(CustomerQuery())) == 1


async def test_a_stale_customer_cannot_be_written_back(
    shop: LocalCommerce, engine: AsyncEngine
) -> None:
    registered = await shop.register_customer(acme())
    async with SqlUnitOfWork(engine) as uow:
        stale = await uow.customers.get(registered.id)
    await shop.add_customer_note(AGENT, registered.id, CustomerNoteIn(text="first"))
    async with SqlUnitOfWork(engine) as uow:
        assert stale is not None
        stale.phone = "000"
        stale.version += 1
        with pytest.raises(DomainError) as refused:
            await uow.customers.save(stale)
    assert refused.value.code == "version_conflict"
    assert (await shop.get_customer(registered.id)).phone == "617-555-0100"


async def test_search_customers(shop: LocalCommerce) -> None:
    await shop.register_customer(acme())
    await shop.register_customer(
        RegisterCustomer(first_name="Dana", last_name="Whitfield", email="dana@example.com")
    )
    names = [c.name for c in await shop.list_customers(CustomerQuery(q="ACME"))]
    assert names == ["Acme Corp"]
    names = [c.name for c in await shop.list_customers(CustomerQuery(q="dana whit"))]
    assert names == ["Dana Whitfield"]
    businesses = await shop.list_customers(CustomerQuery(kind=CustomerKind.BUSINESS))
    assert [c.company for c in businesses] == ["Acme Corp"]
    assert [c["name"] for c in await shop.demo_customers(10)] == ["Acme Corp", "Dana Whitfield"]


async def test_carts_on_the_database(shop: LocalCommerce) -> None:
    product = await shop.add_product(
        NewProduct(name="Mug", variants=[NewVariant(sku="MUG", price=Decimal("12.99"))])
    )
    variant = product.variants[0].id
    carts = await asyncio.gather(
        *(shop.get_or_create_cart(CartOwnerIn(visitor_id="vis-1")) for _ in range(4))
    )
    assert len({c.id for c in carts}) == 1
    cart = await shop.add_cart_item(carts[0].id, AddCartItem(variant_id=variant, quantity=3))
    assert cart.subtotal == Decimal("38.97")
    cart = await shop.change_cart_item(cart.id, cart.lines[0].id, ChangeCartItem(quantity=1))
    assert await shop.get_cart(cart.id) == cart
    customer = await shop.register_customer(
        RegisterCustomer(first_name="Dana", email="dana@example.com")
    )
    adopted = await shop.get_or_create_cart(
        CartOwnerIn(visitor_id="vis-1", customer_id=customer.id)
    )
    assert adopted.id == cart.id and adopted.customer_id == customer.id
    assert await shop.find_open_cart(CartOwnerIn(customer_id=customer.id)) == adopted


async def test_the_trail_newest_first(shop: LocalCommerce, clock: FakeClock) -> None:
    for n in range(4):
        clock.advance(seconds=5)
        await shop.record_page_view("vis-7", f"https://shop.example/p/{n}", f"Product {n}")
    await shop.record_page_view("vis-8", "https://shop.example/", "Home")
    trail = await shop.browsing_trail("vis-7", limit=3)
    assert [p.title for p in trail] == ["Product 3", "Product 2", "Product 1"]
    assert trail[0].viewed_at > trail[1].viewed_at
    panel = await shop.customer_panel(customer_id=None, visitor_id="vis-7")
    assert panel.customer is None and len(panel.trail) == 4
