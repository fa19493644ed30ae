"""What every part of the in-process implementation shares: how to get a unit of work."""

from __future__ import annotations

from collections.abc import Callable

from orders.ports import OrdersUnitOfWork

UowFactory = Callable[[], OrdersUnitOfWork]


class LocalBase:
    def __init__(self, uow_factory: UowFactory) -> None:
        self._uow_factory = uow_factory

    def uow(self) -> OrdersUnitOfWork:
        return self._uow_factory()
