"""The order API on a real port over a seeded database (the builders' small shop)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customers.bus import EventBus
from orders.persistence.uow import SqlUnitOfWork
from tests.integration.orders.http_desk import ALL_CSRS, HttpDesk, serve
from tests.unit.customers.fakes import FakeClock
from tests.unit.orders.builders import World, build_world


@dataclass
class Api:
    http: HttpDesk
    world: World

    @property
    def url(self) -> str:
        return self.http.url


@pytest.fixture
async def api(engine: AsyncEngine, database_url: str) -> AsyncIterator[Api]:
    clock = FakeClock()
    world = await build_world(lambda: SqlUnitOfWork(engine, EventBus(), clock), clock)
    async with serve(database_url, world.shop, actors=ALL_CSRS) as http:
        yield Api(http, world)
