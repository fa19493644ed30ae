"""The app's wiring gives the chat side the customer directory and the order desk."""

from __future__ import annotations

from customers.schemas import RegisterCustomer
from orders.local import LocalCommerce
from web.bootstrap import bootstrap
from web.settings import Settings


async def test_bootstrap_wires_the_commerce_side(database_url: str) -> None:
    services = bootstrap(Settings(DATABASE_URL=database_url), sockets=False)
    try:
        assert isinstance(services.commerce, LocalCommerce)
        customer = await services.commerce.register_customer(
            RegisterCustomer(first_name="Dana", last_name="Whitfield", email="dana@example.com")
        )
        summary = await services.directory.summary(customer.id)
        assert summary is not None
        assert (summary["name"], summary["email"], summary["kind"]) == (
            "Dana Whitfield",
            "dana@example.com",
            "consumer",
        )
        assert await services.directory.summary("cus_nobody") is None
        await services.directory.record_page_view("vis-1", "https://shop.example/", "Home")
        (page,) = await services.commerce.browsing_trail("vis-1")
        assert page.title == "Home"
        listed = await services.commerce.demo_customers(5)
        assert listed == [
            {
                "id": customer.id,
                "name": "Dana Whitfield",
                "email": "dana@example.com",
                "kind": "consumer",
            }
        ]
    finally:
        await services.aclose()
