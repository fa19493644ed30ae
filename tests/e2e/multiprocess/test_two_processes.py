"""Two ``careline serve`` processes sharing PostgreSQL and Redis: shoppers and CSRs on either
one chat as if there were one server, and a Redis restart loses nothing that was stored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from queues import accounts
from queues.clock import SystemClock
from queues.domain import Role
from queues.runner import CareRunner
from tests.conftest import truncate_all
from tests.e2e.peers import agent_peer, cid, login, shopper_peer
from tests.e2e.processes import CarelineProcess, RedisServer, cluster, ready
from web.auth import PasswordHasher
from web.db import create_engine


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def pg(postgres_url: str) -> str:
    await truncate_all(postgres_url)
    return postgres_url


@pytest.fixture
async def two(
    pg: str, redis_server: RedisServer, tmp_path: Path
) -> AsyncIterator[list[CarelineProcess]]:
    with cluster(pg, redis_server, tmp_path) as processes:
        for process in processes:
            await ready(process.url)
        yield processes


async def add_agents(database_url: str, *specs: tuple[str, Role]) -> None:
    engine = create_engine(database_url)
    runner = CareRunner(engine)
    hasher = PasswordHasher()
    try:
        for username, role in specs:
            await runner.run(
                accounts.create_agent,
                SystemClock(),
                accounts.NewAgent(
                    username=username,
                    name=username.title(),
                    password=f"{username}-pass-123",
                    role=role,
                    queues=("general", "returns"),
                ),
                await asyncio.to_thread(hasher.hash, f"{username}-pass-123"),
            )
    finally:
        await engine.dispose()


async def test_shopper_on_one_process_chats_with_csrs_on_the_other(
    two: list[CarelineProcess], pg: str
) -> None:
    a, b = two
    await add_agents(pg, ("alex", Role.AGENT), ("sam", Role.AGENT), ("lee", Role.LEAD))
    alex = await agent_peer(a.url, "alex")
    sam = await agent_peer(b.url, "sam")
    for csr in (alex, sam):
        await csr.call("queue:watch", {"queues": ["general"]})
    shopper = await shopper_peer(b.url)
    conversation_id = (await shopper.call("chat:start", {"text": "hello"}))["conversation"]["id"]
    # Both CSRs, on both processes, see the request arrive.
    for csr in (alex, sam):
        await csr.expect("queue:update", lambda d: bool(d["waiting"]))

    # They race for it from two processes: exactly one wins.
    results = await asyncio.gather(
        alex.call("request:accept", {"conversation_id": conversation_id}),
        sam.call("request:accept", {"conversation_id": conversation_id}),
    )
    winners = [r for r in results if r["ok"]]
    losers = [r for r in results if not r["ok"]]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0]["error"]["code"] == "already_taken"
    winner = alex if results[0]["ok"] else sam
    winner_name = "Alex" if winner is alex else "Sam"
    await shopper.expect("chat:status", lambda d: d["status"] == "active")

    await winner.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "hi from CSR"}
    )
    await shopper.expect("chat:message", lambda d: d["text"] == "hi from CSR")
    await shopper.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "hi back"}
    )
    heard = await winner.expect("chat:message", lambda d: d["text"] == "hi back")
    assert heard["author"]["kind"] == "customer"
    assert (await shopper.expect("chat:message", lambda d: d["author"]["kind"] == "system"))[
        "text"
    ].startswith(winner_name)

    # Presence crosses processes too.
    sam_presence = await alex.expect(
        "agents:presence",
        lambda d: any(x["name"] == "Sam" and x["status"] == "available" for x in d["agents"]),
    )
    assert any(x["name"] == "Alex" for x in sam_presence["agents"])
    for peer in (alex, sam, shopper):
        await peer.disconnect()


async def test_disabling_a_csr_on_one_process_closes_their_socket_on_the_other(
    two: list[CarelineProcess], pg: str
) -> None:
    a, b = two
    await add_agents(pg, ("alex", Role.AGENT), ("lee", Role.LEAD))
    alex = await agent_peer(b.url, "alex")
    lead_token = await login(a.url, "lee", "lee-pass-123")
    async with aiohttp.ClientSession() as http:
        response = await http.patch(
            f"{a.url}/api/agents/alex",
            json={"disabled": True},
            headers={"Authorization": f"Bearer {lead_token}"},
        )
        assert response.status == 200
    ended = await alex.expect("session:ended", timeout=10)
    assert ended["reason"] == "account_disabled"
    await asyncio.sleep(0.5)
    assert not alex.sio.connected


async def test_a_redis_restart_loses_no_message_and_no_queue_position(
    two: list[CarelineProcess], pg: str, redis_server: RedisServer
) -> None:
    a, b = two
    await add_agents(pg, ("alex", Role.AGENT))
    first = await shopper_peer(a.url)
    second = await shopper_peer(b.url)
    c1 = (await first.call("chat:start", {"text": "first in line"}))["conversation"]["id"]
    c2 = (await second.call("chat:start", {"text": "second in line"}))["conversation"]["id"]

    redis_server.stop()
    # While Redis is down each process still stores and answers.
    sent = await first.call(
        "chat:send", {"conversation_id": c1, "client_id": cid(), "text": "still there?"}
    )
    assert sent["ok"]
    redis_server.start()
    for process in two:
        await ready(process.url, timeout=30)
    # Each process tells its clients to resynchronise once its fan-out is back.
    await first.expect("resync", timeout=10)
    await second.expect("resync", timeout=10)

    alex = await agent_peer(b.url, "alex")
    watched = await alex.call("queue:watch", {"queues": ["general"]})
    assert [r["conversation_id"] for r in watched["waiting"]] == [c1, c2]
    taken = await alex.call("request:accept", {"conversation_id": c1})
    assert [m["text"] for m in taken["messages"]][:2] == ["first in line", "still there?"]
    # The second shopper moves up to first, heard across processes after the restart.
    await second.expect("queue:position", lambda d: d["position"] == 1, timeout=10)
    await alex.call("chat:send", {"conversation_id": c1, "client_id": cid(), "text": "here now"})
    await first.expect("chat:message", lambda d: d["text"] == "here now", timeout=10)
    for peer in (first, second, alex):
        await peer.disconnect()
