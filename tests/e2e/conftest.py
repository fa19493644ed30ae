"""A real Careline server on a free port of this machine, in the test's own event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web

from queues import accounts
from queues.domain import Role
from web.app import create_app
from web.bootstrap import Services, bootstrap
from web.settings import Settings

SECRET = "end-to-end-test-secret-of-enough-length"
STOREFRONT_SECRET = "end-to-end-storefront-secret"


@dataclass
class Server:
    url: str
    services: Services

    async def add_agent(
        self,
        username: str,
        queues: tuple[str, ...] = ("general",),
        role: Role = Role.AGENT,
        max_chats: int = 3,
    ) -> str:
        password = f"{username}-pass-123"
        password_hash = await asyncio.to_thread(self.services.hasher.hash, password)
        agent = await self.services.runner.run(
            accounts.create_agent,
            self.services.clock,
            accounts.NewAgent(
                username=username,
                name=username.title(),
                password=password,
                role=role,
                max_chats=max_chats,
                queues=queues,
            ),
            password_hash,
        )
        return agent.id


async def start_server(settings: Settings) -> tuple[Server, web.AppRunner]:
    services = bootstrap(settings)
    app = create_app(settings, services)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return Server(f"http://127.0.0.1:{port}", services), runner


def e2e_settings(database_url: str, **extra: object) -> Settings:
    values: dict[str, object] = {
        "DATABASE_URL": database_url,
        "CARELINE_SECRET": SECRET,
        "STOREFRONT_SECRET": STOREFRONT_SECRET,
        "AGENT_GRACE_SECONDS": 1.0,
        "STOREFRONT_ORIGINS": "https://shop.example.com",
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
async def server(sqlite_url: str) -> AsyncIterator[Server]:
    srv, runner = await start_server(e2e_settings(sqlite_url))
    yield srv
    await runner.cleanup()


@pytest.fixture
async def generous_server(sqlite_url: str) -> AsyncIterator[Server]:
    """A server whose rate limit does not get in the way of a test sending many events."""
    settings = e2e_settings(sqlite_url, RATE_PER_SECOND=1000.0, RATE_BURST=1000)
    srv, runner = await start_server(settings)
    yield srv
    await runner.cleanup()
