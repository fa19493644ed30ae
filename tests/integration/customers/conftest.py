from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customers.bus import EventBus
from orders.local import LocalCommerce
from orders.persistence.uow import SqlUnitOfWork
from tests.unit.customers.fakes import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def shop(engine: AsyncEngine, clock: FakeClock) -> LocalCommerce:
    bus = EventBus()
    return LocalCommerce(lambda: SqlUnitOfWork(engine, bus, clock))
