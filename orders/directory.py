"""The commerce side as the chat sees it (``chat.ports.CustomerDirectory``, matched by shape):
a short customer profile for the CSR's panel, and the browsing trail."""

from __future__ import annotations

from typing import Any

from customers.errors import NotFound
from orders.local import LocalCommerce


class CommerceDirectory:
    def __init__(self, commerce: LocalCommerce) -> None:
        self.commerce = commerce

    async def summary(self, customer_id: str) -> dict[str, Any] | None:
        try:
            customer = await self.commerce.get_customer(customer_id)
        except NotFound:
            return None
        return {
            "id": customer.id,
            "name": customer.name,
            "email": customer.email,
            "phone": customer.phone,
            "kind": customer.kind.value,
            "company": customer.company.name if customer.company else None,
            "tax_exempt": customer.tax_exempt,
            "preferred_channel": customer.preferences.preferred_channel,
        }

    async def record_page_view(self, visitor_id: str, url: str, title: str) -> None:
        await self.commerce.record_page_view(visitor_id, url, title)
