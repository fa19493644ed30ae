"""The whole commerce side in process: one object that is the ``OrderDesk``, the
``Storefront`` and the ``FulfilmentFeed``."""

from __future__ import annotations

from orders.desk import Commerce, FulfilmentFeed, OrderDesk, Storefront
from orders.local.customers import LocalCatalog, LocalCustomers
from orders.local.orders import LocalFulfilment, LocalOrders


class LocalCommerce(LocalCatalog, LocalCustomers, LocalOrders, LocalFulfilment):
    """Built with a unit-of-work factory (``lambda: SqlUnitOfWork(engine, bus)``)."""


def _conforms(commerce: LocalCommerce) -> tuple[OrderDesk, Storefront, FulfilmentFeed, Commerce]:
    """Checked by the type checker: the in-process implementation is the whole seam."""
    return commerce, commerce, commerce, commerce
