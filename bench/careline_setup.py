"""Careline's side of the benchmark: a fresh database with CSR accounts, and the conversations
opened over the real protocol (a shopper starts a chat, a CSR accepts it)."""

from __future__ import annotations

import asyncio
from typing import Any

from bench.wsclient import SioClient, connect
from queues import accounts
from queues.domain import Role
from web.bootstrap import bootstrap
from web.migrate import upgrade
from web.settings import Settings

PASSWORD = "bench-password"
TOKEN_TTL_SECONDS = 6 * 3600
CHATS_PER_CSR = 3


async def prepare_database(database_url: str, secret: str, agents: int) -> list[str]:
    """Migrate a fresh database and create ``agents`` CSRs in the ``general`` queue (up to
    ``CHATS_PER_CSR`` chats each, the default cap); return a
    signed-in token for each. One argon2 hash serves every account (hashing is slow on purpose
    and is not what this benchmark measures)."""
    settings = Settings(DATABASE_URL=database_url, CARELINE_SECRET=secret)
    services = bootstrap(settings, sockets=False)
    try:
        await upgrade(services.engine)
        password_hash = await asyncio.to_thread(services.hasher.hash, PASSWORD)
        tokens = []
        for i in range(agents):
            agent = await services.runner.run(
                accounts.create_agent,
                services.clock,
                accounts.NewAgent(
                    username=f"bench-csr-{i:05d}",
                    name=f"Bench CSR {i}",
                    password=PASSWORD,
                    role=Role.AGENT,
                    max_chats=CHATS_PER_CSR,
                    queues=("general",),
                ),
                password_hash,
            )
            login = await services.runner.run(
                accounts.open_session, services.clock, agent, TOKEN_TTL_SECONDS
            )
            tokens.append(services.tokens.agent_token(agent.id, login.session_id, login.expires_at))
        return tokens
    finally:
        await services.aclose()


def _ok(answer: Any, what: str) -> dict[str, Any]:
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        raise RuntimeError(f"{what} failed: {answer!r}")
    return answer


async def open_conversations(
    host: str, port: int, first: int, count: int, token: str
) -> list[tuple[str, SioClient, SioClient]]:
    """``count`` shoppers connect and start a chat in ``general``; one CSR connects and accepts
    every one of them (a CSR serves up to three chats at once by default)."""
    started = []
    for index in range(first, first + count):
        shopper = await connect(host, port, "/customer", {})
        await shopper.wait_event("session")
        answer = _ok(
            await shopper.call(
                "chat:start",
                {"queue": "general", "topic": "Benchmark", "name": f"Shopper {index}"},
            ),
            "chat:start",
        )
        started.append((str(answer["conversation"]["id"]), shopper))
    csr = await connect(host, port, "/agent", {"token": token})
    await csr.wait_event("session")
    for conversation_id, _ in started:
        _ok(
            await csr.call("request:accept", {"conversation_id": conversation_id}),
            "request:accept",
        )
    return [(conversation_id, shopper, csr) for conversation_id, shopper in started]
