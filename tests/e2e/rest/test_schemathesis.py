"""Schema-driven: requests generated from the OpenAPI document against the real app on a
localhost port (seeded with the builders' shop, a CSR admin's token sent with every request):
no answer is a server error, and every answer fits the document."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy.ext.asyncio import AsyncEngine

from customers.bus import EventBus
from orders.http.endpoints import ENDPOINTS
from orders.persistence.uow import SqlUnitOfWork
from tests.conftest import truncate_all
from tests.integration.orders.http_desk import HttpDesk, serve
from tests.unit.customers.fakes import FakeClock
from tests.unit.orders.builders import ADMIN, World, build_world
from web.db import create_engine
from web.rest.openapi import openapi_document

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@dataclass
class Live:
    url: str
    token: str


async def _seed(engine: AsyncEngine) -> World:
    clock = FakeClock()
    world = await build_world(lambda: SqlUnitOfWork(engine, EventBus(), clock), clock)
    await world.placed()
    await world.shipped()
    return world


# SQLite by default; CARELINE_SCHEMATHESIS_DB=postgresql runs it on the PostgreSQL test database.
ENGINE = os.environ.get("CARELINE_SCHEMATHESIS_DB", "sqlite")


@pytest.fixture(scope="module")
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if ENGINE == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        asyncio.run(truncate_all(url))
        return url
    template: Path = request.getfixturevalue("sqlite_template")
    path = tmp_path_factory.mktemp("schemathesis") / "careline.db"
    path.write_bytes(template.read_bytes())
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="module")
def live_api(database: str) -> Iterator[Live]:
    """The app in a thread of its own (schemathesis calls it synchronously)."""
    url = database
    loop = asyncio.new_event_loop()
    ready: Future[Live] = Future()
    stop = asyncio.Event()

    async def main() -> None:
        engine = create_engine(url)
        try:
            world = await _seed(engine)
            http: HttpDesk
            async with serve(url, world.shop, actors=(ADMIN,)) as http:
                ready.set_result(Live(http.url, http.tokens[ADMIN.id]))
                await stop.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            raise
        finally:
            await engine.dispose()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    live = ready.result(timeout=60)
    yield live
    loop.call_soon_threadsafe(stop.set)
    thread.join(timeout=30)
    loop.close()


# The document the server serves at /api/openapi.json (tests/e2e/rest/test_rest_api.py checks
# they are equal), loaded at collection time: one test per operation.
schema = schemathesis.openapi.from_dict(openapi_document(ENDPOINTS))


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_answers_fit_the_schema(case: Any, live_api: Live) -> None:
    case.call_and_validate(
        base_url=live_api.url,
        headers={"Authorization": f"Bearer {live_api.token}"},
        checks=CHECKS,
    )
