"""The seam over HTTP for tests: the real aiohttp app on a localhost port, over the test's
database and the world's in-process commerce, with signed-in CSRs, and an ``HttpCommerce``
that calls it as each of the builders' actors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp

from customers.kernel import Actor, Role
from orders.desk import Commerce
from orders.http.client import HttpCommerce
from queues import accounts
from queues.domain import Role as CsrRole
from tests.e2e.conftest import e2e_settings, start_server
from tests.unit.orders.builders import ADMIN, AGENT, AGENT_2, LEAD
from web.bootstrap import Services
from web.rest.transport import http_commerce

API_KEY = "order-api-test-key-0123456789"
PASSWORD = "desk-password-123"


@dataclass
class HttpDesk:
    url: str
    services: Services
    session: aiohttp.ClientSession
    # Bearer token of each builders' actor, by the actor's id in the builders.
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, actor: Actor = AGENT) -> HttpCommerce:
        return http_commerce(
            self.url,
            self.session,
            token=self.tokens[actor.id],
            api_key=API_KEY,
            token_for=lambda who: self.tokens.get(who.id),
        )

    async def sign_in(self, actor: Actor) -> str:
        """An account for one of the builders' actors (same name and role) and a login
        session for it, as ``POST /api/auth/login`` opens after the password check (which
        ``tests/e2e/rest`` runs for real; argon2 is slow on purpose, too slow for every test)."""
        services = self.services
        agent = await services.runner.run(
            accounts.create_agent,
            services.clock,
            accounts.NewAgent(
                username=actor.id.replace("-", ""),
                name=actor.name,
                password=PASSWORD,
                role=CsrRole(actor.role.value),
                queues=("general",),
            ),
            "not-a-real-hash",
        )
        login = await services.runner.run(
            accounts.open_session, services.clock, agent, services.settings.agent_token_ttl_seconds
        )
        token = services.tokens.agent_token(agent.id, login.session_id, login.expires_at)
        self.tokens[actor.id] = token
        return token


@asynccontextmanager
async def serve(
    database_url: str, commerce: Commerce | None = None, *, actors: tuple[Actor, ...] = ()
) -> AsyncIterator[HttpDesk]:
    """The app on a free port; ``commerce`` (the world's, on its fake clock) replaces the
    wired one (handlers look it up per request) so both implementations act on the same shop
    at the same time of day."""
    server, runner = await start_server(e2e_settings(database_url, ORDER_API_KEY=API_KEY))
    if commerce is not None:
        server.services.commerce = commerce
    session = aiohttp.ClientSession()
    desk = HttpDesk(url=server.url, services=server.services, session=session)
    try:
        for actor in actors:
            if actor.role is not Role.SYSTEM:
                await desk.sign_in(actor)
        yield desk
    finally:
        await session.close()
        await runner.cleanup()


ALL_CSRS = (AGENT, AGENT_2, LEAD, ADMIN)
