"""What the chat needs from the commerce side, as narrow interfaces with in-memory defaults."""

from __future__ import annotations

from typing import Any, Protocol


class CustomerDirectory(Protocol):
    async def summary(self, customer_id: str) -> dict[str, Any] | None:
        """A short profile for the CSR's customer panel (name, email, tier...), or None."""

    async def record_page_view(self, visitor_id: str, url: str, title: str) -> None:
        """Add a page to the visitor's browsing trail."""


class NoCustomerDirectory:
    """Used when no commerce side is wired: a customer is known by id only."""

    async def summary(self, customer_id: str) -> dict[str, Any] | None:
        return {"id": customer_id}

    async def record_page_view(self, visitor_id: str, url: str, title: str) -> None:
        return None


async def describe_customer(
    directory: CustomerDirectory, customer_id: str | None
) -> dict[str, Any] | None:
    """What the chat shows of a customer: the profile, or at least the id the storefront vouched
    for when the order desk does not know it (yet)."""
    if customer_id is None:
        return None
    return await directory.summary(customer_id) or {"id": customer_id}
