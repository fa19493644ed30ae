from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customers.bus import EventBus
from customers.kernel import DomainEvent
from orders.persistence.uow import SqlUnitOfWork
from tests.unit.customers.fakes import FakeClock
from tests.unit.orders.builders import World, build_world


class Recorder:
    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    async def __call__(self, event: DomainEvent) -> None:
        self.events.append(event)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def recorder(bus: EventBus) -> Recorder:
    found = Recorder()
    bus.subscribe(found)
    return found


@pytest.fixture
async def world(engine: AsyncEngine, bus: EventBus, clock: FakeClock) -> World:
    return await build_world(lambda: SqlUnitOfWork(engine, bus, clock), clock)
