"""Malformed payloads, foreign conversations, forged credentials: each gets a clear error,
changes nothing, and the connection (and the server) keeps serving."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
import socketio

from tests.e2e.conftest import STOREFRONT_SECRET, Server
from tests.e2e.peers import Peer, agent_peer, cid, login, shopper_peer
from web.identity import sign_identity

NOT_OBJECTS: list[Any] = [None, "text", 42, [1, 2], True]

# For each client event, payloads that must be refused as invalid_payload.
CUSTOMER_BAD: dict[str, list[dict[str, Any]]] = {
    "chat:start": [{"queue": 5}, {"name": "x" * 500}, {"email": "not-an-email"}, {"bogus": 1}],
    "chat:send": [
        {},
        {"conversation_id": "c", "client_id": "x"},
        {"conversation_id": 1, "client_id": "x", "text": "hi"},
        {"conversation_id": "c", "client_id": "", "text": "hi"},
        {"conversation_id": "c", "client_id": "x" * 65, "text": "hi"},
        {"conversation_id": "c", "client_id": "x", "text": ["hi"]},
        {"conversation_id": "c", "client_id": "x", "text": "hi", "thread": "secret"},
    ],
    "chat:sync": [
        {},
        {"conversation_id": "c", "after_seq": "3"},
        {"conversation_id": "c", "after_seq": -1},
    ],
    "chat:typing": [{}, {"conversation_id": "c", "typing": "yes"}],
    "chat:close": [{}, {"conversation_id": None}],
    "page:view": [{}, {"url": ""}, {"url": "/x", "title": 7}, {"url": "x" * 3000}],
}

AGENT_BAD: dict[str, list[dict[str, Any]]] = {
    "queue:watch": [{}, {"queues": "general"}, {"queues": [1]}],
    "request:accept": [{}, {"conversation_id": 3}],
    "request:requeue": [{}, {"conversation_id": "c"}, {"conversation_id": "c", "queue": ""}],
    "request:transfer": [{}, {"conversation_id": "c"}, {"conversation_id": "c", "agent_id": 9}],
    "chat:send": [{}, {"conversation_id": "c", "client_id": "x", "text": 1}],
    "chat:sync": [{}, {"conversation_id": "c", "thread": "direct"}],
    "chat:typing": [{}],
    "chat:close": [{}],
    "chat:read": [{}, {"thread_id": "t", "seq": -2}],
    "direct:send": [{}, {"to_agent_id": "a", "client_id": "x"}],
    "direct:sync": [{}, {"agent_id": "a", "after_seq": 1.5}],
    "consult:invite": [{}, {"conversation_id": "c"}],
    "consult:leave": [{}],
    "agent:status": [{}, {"status": "offline"}, {"status": "sleeping"}],
}


def assert_refused(ack: Any, code: str) -> None:
    assert isinstance(ack, dict), ack
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    assert ack["error"]["message"], ack


async def message_count(peer: Peer, conversation_id: str) -> int:
    synced = await peer.call("chat:sync", {"conversation_id": conversation_id, "after_seq": 0})
    return len(synced["messages"])


async def test_every_customer_event_refuses_malformed_payloads(generous_server: Server) -> None:
    server = generous_server
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {"text": "hello"}))["conversation"]["id"]
    for event, payloads in CUSTOMER_BAD.items():
        for payload in [*NOT_OBJECTS, *payloads]:
            ack = await shopper.call(event, payload)
            assert_refused(ack, "invalid_payload")
            assert "field" in ack["error"]["details"]
    assert await message_count(shopper, conversation_id) == 1
    ok = await shopper.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "still here"}
    )
    assert ok["ok"] is True
    await shopper.disconnect()


async def test_every_agent_event_refuses_malformed_payloads(generous_server: Server) -> None:
    server = generous_server
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    for event, payloads in AGENT_BAD.items():
        for payload in [*NOT_OBJECTS, *payloads]:
            assert_refused(await alex.call(event, payload), "invalid_payload")
    assert (await alex.call("queue:watch", {"queues": ["general"]}))["ok"] is True
    await alex.disconnect()


async def test_unknown_events_are_answered_not_ignored(server: Server) -> None:
    shopper = await shopper_peer(server.url)
    assert_refused(await shopper.call("admin:drop_tables", {}), "unknown_event")
    assert_refused(await shopper.call("request:accept", {"conversation_id": "x"}), "unknown_event")
    await shopper.disconnect()


async def test_oversized_text_is_refused_and_not_stored(server: Server) -> None:
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {}))["conversation"]["id"]
    ack = await shopper.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "x" * 4001}
    )
    assert_refused(ack, "invalid_payload")
    assert ack["error"]["details"]["limit"] == 4000
    assert await message_count(shopper, conversation_id) == 0
    await shopper.disconnect()


async def test_markup_is_stored_and_relayed_as_plain_text(server: Server) -> None:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {}))["conversation"]["id"]
    await alex.call("request:accept", {"conversation_id": conversation_id})
    hostile = "<img src=x onerror=alert(1)>"
    await shopper.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": hostile}
    )
    heard = await alex.expect("chat:message", lambda d: d["author"]["kind"] == "customer")
    assert heard["text"] == hostile
    for peer in (alex, shopper):
        await peer.disconnect()


async def test_a_shopper_cannot_touch_another_shoppers_conversation(server: Server) -> None:
    owner = await shopper_peer(server.url)
    conversation_id = (await owner.call("chat:start", {"text": "my card ends 4242"}))[
        "conversation"
    ]["id"]
    intruder = await shopper_peer(server.url)
    for event, payload in (
        ("chat:sync", {"conversation_id": conversation_id, "after_seq": 0}),
        ("chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "hi"}),
        ("chat:typing", {"conversation_id": conversation_id, "typing": True}),
        ("chat:close", {"conversation_id": conversation_id}),
    ):
        assert_refused(await intruder.call(event, payload), "not_found")
    # Indistinguishable from a conversation that does not exist.
    missing = await intruder.call("chat:sync", {"conversation_id": "c_nope", "after_seq": 0})
    assert (
        missing["error"]
        == (await intruder.call("chat:sync", {"conversation_id": conversation_id, "after_seq": 0}))[
            "error"
        ]
    )
    assert await message_count(owner, conversation_id) == 1
    assert not intruder.received("chat:message")
    for peer in (owner, intruder):
        await peer.disconnect()


async def test_a_shopper_can_never_sync_the_private_thread(server: Server) -> None:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {}))["conversation"]["id"]
    await alex.call("request:accept", {"conversation_id": conversation_id})
    await alex.call(
        "chat:send",
        {
            "conversation_id": conversation_id,
            "client_id": cid(),
            "thread": "private",
            "text": "VIP",
        },
    )
    refused = await shopper.call(
        "chat:sync", {"conversation_id": conversation_id, "after_seq": 0, "thread": "private"}
    )
    assert_refused(refused, "not_found")
    await asyncio.sleep(0.2)
    assert all(m["text"] != "VIP" for m in shopper.received("chat:message"))
    for peer in (alex, shopper):
        await peer.disconnect()


async def test_a_csr_cannot_take_from_a_queue_they_do_not_belong_to(server: Server) -> None:
    await server.add_agent("alex", queues=("general",))
    alex = await agent_peer(server.url, "alex")
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {"queue": "business"}))["conversation"][
        "id"
    ]
    assert_refused(await alex.call("queue:watch", {"queues": ["business"]}), "forbidden")
    assert_refused(
        await alex.call("request:accept", {"conversation_id": conversation_id}), "forbidden"
    )
    assert_refused(await alex.call("queue:watch", {"queues": ["nowhere"]}), "unknown_queue")
    assert shopper.received("chat:status") == []
    for peer in (alex, shopper):
        await peer.disconnect()


async def refused_reason(
    url: str, namespace: str, auth: Any, headers: dict[str, str] | None = None
) -> Any:
    peer = Peer(url, namespace, headers=headers)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await peer.connect(auth)
    await peer.disconnect()
    assert isinstance(peer.connect_error, dict), peer.connect_error
    assert peer.connect_error["message"] == peer.connect_error["data"]["message"]
    return peer.connect_error["data"]


async def test_forged_and_expired_credentials_are_refused_with_a_reason(server: Server) -> None:
    await server.add_agent("alex")
    assert (await refused_reason(server.url, "/agent", {}))["code"] == "unauthorized"
    assert (await refused_reason(server.url, "/agent", {"token": "forged.jwt.value"}))[
        "code"
    ] == "unauthorized"
    expired = server.services.tokens.agent_token(
        "a_x", "s_x", server.services.clock.now().replace(year=2020)
    )
    assert (await refused_reason(server.url, "/agent", {"token": expired}))[
        "code"
    ] == "token_expired"
    visitor = await refused_reason(server.url, "/customer", {"visitor_token": "not-a-token"})
    assert visitor["code"] == "unauthorized"
    forged = sign_identity("the-wrong-secret", "cust-1")
    reason = await refused_reason(server.url, "/customer", {"identity": forged})
    assert reason["code"] == "bad_identity" and "signature" in reason["message"]
    customer, expiry, _ = sign_identity(STOREFRONT_SECRET, "cust-1").split(".")
    stale = sign_identity(STOREFRONT_SECRET, "cust-1", ttl_seconds=-60)
    assert (
        "expired" in (await refused_reason(server.url, "/customer", {"identity": stale}))["message"]
    )
    # A good identity links the visitor to the customer.
    good = await shopper_peer(server.url, {"identity": sign_identity(STOREFRONT_SECRET, "cust-1")})
    assert good.received("session")[0]["customer"]["id"] == "cust-1"
    assert customer == "cust-1" and int(expiry) > time.time()
    await good.disconnect()


async def test_a_visitor_token_does_not_carry_over_to_another_signed_in_customer(
    server: Server,
) -> None:
    first = await shopper_peer(server.url, {"identity": sign_identity(STOREFRONT_SECRET, "cust-1")})
    token = first.received("session")[0]["visitor_token"]
    conversation_id = (await first.call("chat:start", {"text": "private stuff"}))["conversation"][
        "id"
    ]
    await first.disconnect()
    other = await shopper_peer(
        server.url, {"visitor_token": token, "identity": sign_identity(STOREFRONT_SECRET, "cust-2")}
    )
    session = other.received("session")[0]
    assert session["conversation"] is None
    assert session["visitor_id"] != first.received("session")[0]["visitor_id"]
    assert_refused(
        await other.call("chat:sync", {"conversation_id": conversation_id, "after_seq": 0}),
        "not_found",
    )
    await other.disconnect()


async def test_sockets_from_foreign_origins_are_refused(server: Server) -> None:
    evil = Peer(server.url, "/customer", headers={"Origin": "https://evil.example"})
    with pytest.raises(socketio.exceptions.ConnectionError):
        await evil.connect()
    shop = Peer(server.url, "/customer", headers={"Origin": "https://shop.example.com"})
    await shop.connect()
    await shop.expect("session")
    await shop.disconnect()
    own = Peer(server.url, "/customer", headers={"Origin": server.url})
    await own.connect()
    await own.disconnect()


async def test_frames_over_64_kb_are_refused_by_the_transport(server: Server) -> None:
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {}))["conversation"]["id"]
    with pytest.raises((socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError)):
        await shopper.call(
            "chat:send",
            {"conversation_id": conversation_id, "client_id": cid(), "text": "x" * 70_000},
            timeout=3,
        )
    await asyncio.sleep(0.5)
    assert not shopper.sio.connected
    # Nothing stored, and the server still serves everyone else.
    other = await shopper_peer(server.url)
    assert (await other.call("chat:start", {}))["ok"] is True
    await other.disconnect()


async def test_floods_are_answered_rate_limited_and_the_connection_survives(server: Server) -> None:
    shopper = await shopper_peer(server.url)
    acks = await asyncio.gather(*(shopper.call("page:view", {"url": f"/p/{i}"}) for i in range(80)))
    limited = [a for a in acks if not a["ok"]]
    assert limited and all(a["error"]["code"] == "rate_limited" for a in limited)
    assert sum(1 for a in acks if a["ok"]) >= 40
    await asyncio.sleep(1.0)
    assert (await shopper.call("page:view", {"url": "/again"}))["ok"] is True
    await shopper.disconnect()


async def test_signing_out_closes_that_csrs_sockets(server: Server) -> None:
    await server.add_agent("alex")
    token = await login(server.url, "alex", "alex-pass-123")
    peer = Peer(server.url, "/agent")
    await peer.connect({"token": token})
    await peer.expect("session")
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{server.url}/api/auth/logout", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status == 200
    ended = await peer.expect("session:ended")
    assert ended["reason"] == "signed_out"
    await asyncio.sleep(0.3)
    assert not peer.sio.connected
    reason = await refused_reason(server.url, "/agent", {"token": token})
    assert reason["code"] == "unauthorized"


async def test_disabling_an_account_closes_its_sockets_and_refuses_sign_in(server: Server) -> None:
    from queues.domain import Role

    await server.add_agent("alex")
    await server.add_agent("lee", role=Role.LEAD)
    alex = await agent_peer(server.url, "alex")
    lead_token = await login(server.url, "lee", "lee-pass-123")
    async with aiohttp.ClientSession() as http:
        response = await http.patch(
            f"{server.url}/api/agents/alex",
            json={"disabled": True},
            headers={"Authorization": f"Bearer {lead_token}"},
        )
        assert response.status == 200
        await alex.expect("session:ended")
        refused = await http.post(
            f"{server.url}/api/auth/login", json={"username": "alex", "password": "alex-pass-123"}
        )
        assert (
            refused.status == 400 and (await refused.json())["error"]["code"] == "account_disabled"
        )
    await asyncio.sleep(0.3)
    assert not alex.sio.connected


async def test_only_leads_manage_accounts(server: Server) -> None:
    await server.add_agent("alex")
    token = await login(server.url, "alex", "alex-pass-123")
    async with aiohttp.ClientSession() as http:
        response = await http.post(
            f"{server.url}/api/agents",
            json={"username": "mallory", "name": "M", "password": "password-123"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status == 403
        body = await response.json()
        assert body["error"]["code"] == "forbidden"
        bad = await http.post(f"{server.url}/api/auth/login", data=b"not json")
        assert bad.status == 422
