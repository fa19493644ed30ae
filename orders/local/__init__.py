"""The in-process implementation of the seam (``OrderDesk``, ``Storefront``,
``FulfilmentFeed``) over the use cases, one fresh unit of work per call."""

from __future__ import annotations

from orders.local.commerce import LocalCommerce

__all__ = ["LocalCommerce"]
