"""Webhooks from the outbox to real HTTP endpoints on localhost: signed, retried with backoff
(watched through the worker's clock, not waited for), given up in the end, never sent twice."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from customers.kernel import DomainEvent
from customers.repository import SqlOutbox
from customers.schemas import RegisterCustomer
from customers.tables import outbox
from orders.webhooks.delivery import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    RetryPolicy,
    verify_signature,
)
from orders.webhooks.tables import webhook_deliveries
from orders.webhooks.worker import WebhookConfig, WebhookWorker
from tests.conftest import truncate_all
from tests.unit.customers.fakes import FakeClock
from web.bootstrap import bootstrap
from web.db import create_engine
from web.settings import Settings
from web.webhooks import AiohttpTransport

SECRET = "whsec_integration_secret"


class Receiver:
    """An integrator's endpoint: answers the given statuses in turn (then 200), after
    ``delay`` seconds, and keeps every request it got."""

    def __init__(self, statuses: tuple[int, ...] = (), delay: float = 0.0) -> None:
        self.statuses = list(statuses)
        self.delay = delay
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.read()))
        await asyncio.sleep(self.delay)
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, text="ok" if status < 300 else "not now")

    async def __aenter__(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hooks", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/hooks"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    @property
    def event_ids(self) -> list[str]:
        return [headers[EVENT_ID_HEADER] for headers, _ in self.requests]


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


async def _emit(engine: AsyncEngine, count: int, at: datetime) -> list[str]:
    events = [
        DomainEvent(
            type="order.created",
            aggregate="order",
            aggregate_id=f"ord_{n}",
            occurred_at=at + timedelta(milliseconds=n),
            data={"number": f"CL{100001 + n}", "grand_total": "10.00"},
            version=2,
        )
        for n in range(count)
    ]
    async with engine.begin() as conn:
        await SqlOutbox(conn).add_events(events)
    return [e.id for e in events]


async def _deliveries(engine: AsyncEngine) -> dict[str, dict[str, Any]]:
    async with engine.connect() as conn:
        rows = (await conn.execute(select(webhook_deliveries))).mappings().all()
    return {row["endpoint"]: dict(row) for row in rows}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


def _worker(engine: AsyncEngine, clock: FakeClock, *endpoints: str, **config: Any) -> WebhookWorker:
    return WebhookWorker(
        engine,
        WebhookConfig(endpoints=endpoints, secret=SECRET, **config),
        AiohttpTransport(),
        clock=clock,
        spread=lambda: 0.5,
    )


async def test_a_flaky_endpoint_gets_the_event_once_after_backing_off(
    engine: AsyncEngine, clock: FakeClock
) -> None:
    (event_id,) = await _emit(engine, 1, clock() - timedelta(seconds=1))
    async with Receiver(statuses=(500, 503)) as flaky, Receiver() as steady:
        worker = _worker(engine, clock, flaky.url, steady.url)
        try:
            assert await worker.run_once() == 2
            # The other endpoint has it already; the flaky one waits 30s stretched by jitter.
            assert (len(flaky.requests), len(steady.requests)) == (1, 1)
            clock.advance(seconds=32)
            assert await worker.run_once() == 0
            clock.advance(seconds=1)
            assert await worker.run_once() == 1
            # Then 60s, stretched to 66s.
            clock.advance(seconds=65)
            assert await worker.run_once() == 0
            clock.advance(seconds=1)
            assert await worker.run_once() == 1
            clock.advance(hours=24)
            assert await worker.run_once() == 0
        finally:
            await worker.stop()

    assert flaky.event_ids == [event_id] * 3 and steady.event_ids == [event_id]
    for headers, body in flaky.requests + steady.requests:
        timestamp = int(headers[TIMESTAMP_HEADER])
        assert verify_signature(SECRET, headers[SIGNATURE_HEADER], body, now=timestamp)
        assert not verify_signature("wrong", headers[SIGNATURE_HEADER], body, now=timestamp)
        sent = json.loads(body)
        assert set(sent) == {"id", "type", "occurred_at", "data"}
        assert (sent["id"], sent["type"], sent["data"]["number"]) == (
            event_id,
            "order.created",
            "CL100001",
        )
    # Each request was signed when it was sent: the backoff shows in the timestamps.
    stamps = [int(headers[TIMESTAMP_HEADER]) for headers, _ in flaky.requests]
    assert [b - a for a, b in itertools.pairwise(stamps)] == [33, 66]

    rows = await _deliveries(engine)
    assert (rows[flaky.url]["status"], rows[flaky.url]["attempts"]) == ("delivered", 3)
    assert rows[flaky.url]["last_status"] == 200 and rows[flaky.url]["last_error"] is None
    assert (rows[steady.url]["status"], rows[steady.url]["attempts"]) == ("delivered", 1)
    async with engine.connect() as conn:
        handed = await conn.scalar(select(outbox.c.delivered_at).where(outbox.c.id == event_id))
    assert handed is not None


async def test_an_endpoint_down_past_the_last_attempt_is_given_up(
    engine: AsyncEngine, clock: FakeClock
) -> None:
    await _emit(engine, 1, clock() - timedelta(seconds=1))
    down = _closed_port_url()
    async with Receiver(delay=2.0) as slow:
        worker = _worker(
            engine,
            clock,
            down,
            slow.url,
            policy=RetryPolicy(max_attempts=3),
            timeout_seconds=0.3,
        )
        try:
            for _ in range(3):
                assert await worker.run_once() == 2
                clock.advance(hours=1)
            for _ in range(3):
                assert await worker.run_once() == 0
                clock.advance(days=1)
        finally:
            await worker.stop()
    rows = await _deliveries(engine)
    assert (rows[down]["status"], rows[down]["attempts"]) == ("failed", 3)
    assert "Connect" in rows[down]["last_error"] and rows[down]["last_status"] is None
    assert (rows[slow.url]["status"], rows[slow.url]["attempts"]) == ("failed", 3)
    assert rows[slow.url]["last_error"] == "no answer within 0.3s"
    assert len(slow.requests) == 3


async def test_a_non_2xx_answer_is_kept_with_the_retry(
    engine: AsyncEngine, clock: FakeClock
) -> None:
    await _emit(engine, 1, clock() - timedelta(seconds=1))
    async with Receiver(statuses=(410,)) as gone:
        worker = _worker(engine, clock, gone.url)
        try:
            assert await worker.run_once() == 1
        finally:
            await worker.stop()
    row = (await _deliveries(engine))[gone.url]
    assert (row["status"], row["last_status"], row["last_error"]) == (
        "pending",
        410,
        "HTTP 410: not now",
    )
    assert row["available_at"] == clock() + timedelta(seconds=33)


async def _all_delivered(engine: AsyncEngine, count: int) -> bool:
    async with engine.connect() as conn:
        statuses = (await conn.execute(select(webhook_deliveries.c.status))).scalars().all()
    return len(statuses) == count and set(statuses) == {"delivered"}


@pytest.fixture
async def pg_engines(postgres_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two engines on one PostgreSQL database: two processes, as far as the rows can tell."""
    await truncate_all(postgres_url)
    first, second = create_engine(postgres_url), create_engine(postgres_url)
    yield first, second
    await first.dispose()
    await second.dispose()


async def test_two_workers_on_postgresql_never_send_an_event_twice(
    pg_engines: tuple[AsyncEngine, AsyncEngine], clock: FakeClock
) -> None:
    first, second = pg_engines
    sent = await _emit(first, 60, clock() - timedelta(seconds=5))
    async with Receiver(delay=0.005) as receiver:
        workers = [_worker(engine, clock, receiver.url, batch=4) for engine in (first, second)]

        async def drain(worker: WebhookWorker) -> int:
            """Send until nothing is left to anyone (the other may hold the last ones)."""
            total = 0
            while True:
                attempts = await worker.run_once()
                total += attempts
                if not attempts:
                    if await _all_delivered(first, len(sent)):
                        return total
                    await asyncio.sleep(0.01)

        try:
            totals = await asyncio.gather(*(drain(w) for w in workers))
        finally:
            for worker in workers:
                await worker.stop()
    assert sum(totals) == len(sent), totals
    assert sorted(receiver.event_ids) == sorted(sent)
    async with first.connect() as conn:
        statuses = (await conn.execute(select(webhook_deliveries.c.status))).scalars().all()
    assert statuses == ["delivered"] * len(sent)


async def test_the_app_runs_the_worker_only_when_endpoints_are_configured(
    database_url: str,
) -> None:
    plain = bootstrap(Settings(DATABASE_URL=database_url), sockets=False)
    assert plain.webhooks is None
    await plain.aclose()
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        Settings(DATABASE_URL=database_url, WEBHOOK_URLS="http://127.0.0.1:9/hooks")

    async with Receiver() as receiver:
        settings = Settings(
            DATABASE_URL=database_url,
            WEBHOOK_URLS=f" {receiver.url} ,{receiver.url}",
            WEBHOOK_SECRET=SECRET,
        )
        services = bootstrap(settings, sockets=False)
        assert services.webhooks is not None
        assert services.webhooks.config.endpoints == (receiver.url,)
        await services.start()
        try:
            customer = await services.commerce.register_customer(
                RegisterCustomer(first_name="Ann", last_name="Lee", email="ann@example.com")
            )
            for _ in range(100):
                if receiver.requests:
                    break
                await asyncio.sleep(0.05)
        finally:
            await services.aclose()
    ((headers, body),) = receiver.requests
    event = json.loads(body)
    assert event["type"] == "customer.registered" and event["data"]["customer_id"] == customer.id
    assert verify_signature(SECRET, headers[SIGNATURE_HEADER], body)
