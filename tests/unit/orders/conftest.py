from __future__ import annotations

import pytest

from tests.unit.customers.fakes import FakeClock
from tests.unit.orders.builders import World, build_world
from tests.unit.orders.fakes import CommerceState, FakeUnitOfWork


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state() -> CommerceState:
    return CommerceState()


@pytest.fixture
async def world(state: CommerceState, clock: FakeClock) -> World:
    return await build_world(lambda: FakeUnitOfWork(state, clock), clock)
