"""A whole care conversation over real sockets, as a shopper and CSRs live it."""

from __future__ import annotations

import asyncio

from chat.schemas import (
    AgentSessionEvent,
    ChatStatusEvent,
    ConversationUpdateEvent,
    CustomerSessionEvent,
    MessageOut,
    PresenceEvent,
    QueuePositionEvent,
    QueueUpdateEvent,
    TypingEvent,
)
from tests.e2e.conftest import Server
from tests.e2e.peers import agent_peer, cid, shopper_peer


async def test_shopper_waits_is_taken_chats_and_closes(server: Server) -> None:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    watched = await alex.call("queue:watch", {"queues": ["general"]})
    assert watched == {"ok": True, "waiting": []}

    shopper = await shopper_peer(server.url)
    session = CustomerSessionEvent.model_validate(shopper.received("session")[0])
    assert session.conversation is None and session.customer is None

    started = await shopper.call(
        "chat:start", {"topic": "Delivery", "name": "Pat", "text": "Where is my parcel?"}
    )
    assert started["ok"] and started["conversation"]["position"] == 1
    conversation_id = started["conversation"]["id"]
    position = QueuePositionEvent.model_validate(await shopper.expect("queue:position"))
    assert (position.position, position.conversation_id) == (1, conversation_id)
    assert position.eta_seconds == 0  # alex is available with free capacity

    update = QueueUpdateEvent.model_validate(
        await alex.expect("queue:update", lambda d: d["waiting"])
    )
    assert update.waiting[0].name == "Pat" and update.waiting[0].topic == "Delivery"
    assert update.waiting[0].preview == "Where is my parcel?"

    accepted = await alex.call("request:accept", {"conversation_id": conversation_id})
    assert accepted["ok"]
    assert accepted["messages"][0]["text"] == "Where is my parcel?"
    status = ChatStatusEvent.model_validate(
        await shopper.expect("chat:status", lambda d: d["status"] == "active")
    )
    assert status.agent is not None and status.agent.name == "Alex"
    await alex.expect("queue:update", lambda d: d["waiting"] == [])
    ConversationUpdateEvent.model_validate(await alex.expect("conversation:update"))

    await alex.emit("chat:typing", {"conversation_id": conversation_id, "typing": True})
    typing = TypingEvent.model_validate(await shopper.expect("chat:typing"))
    assert typing.typing and typing.name == "Alex"

    sent = await alex.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "On its way!"}
    )
    heard = MessageOut.model_validate(
        await shopper.expect("chat:message", lambda d: d["text"] == "On its way!")
    )
    assert heard.id == sent["message"]["id"] and heard.author.kind == "agent"

    await shopper.emit("chat:typing", {"conversation_id": conversation_id, "typing": True})
    assert (await alex.expect("chat:typing"))["name"] == "Pat"
    reply = await shopper.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "Thanks!"}
    )
    assert reply["ok"]
    await alex.expect("chat:message", lambda d: d["text"] == "Thanks!")

    assert await shopper.call("chat:close", {"conversation_id": conversation_id}) == {"ok": True}
    closed = await shopper.expect("chat:status", lambda d: d["status"] == "closed")
    assert closed["conversation_id"] == conversation_id
    update_after = await alex.expect(
        "conversation:update", lambda d: d["conversation"]["status"] == "closed"
    )
    assert update_after["conversation"]["id"] == conversation_id
    await shopper.disconnect()
    await alex.disconnect()


async def test_reconnect_resumes_and_sync_returns_exactly_what_was_missed(server: Server) -> None:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    shopper = await shopper_peer(server.url)
    token = shopper.received("session")[0]["visitor_token"]
    started = await shopper.call("chat:start", {"text": "hi"})
    conversation_id = started["conversation"]["id"]
    await alex.call("request:accept", {"conversation_id": conversation_id})
    last = await shopper.expect("chat:message", lambda d: d["author"]["kind"] == "system")
    await shopper.disconnect()

    for text in ("one", "two", "three"):
        await alex.call(
            "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": text}
        )

    again = await shopper_peer(server.url, {"visitor_token": token})
    session = CustomerSessionEvent.model_validate(again.received("session")[0])
    assert session.conversation is not None
    assert session.conversation.id == conversation_id
    assert session.conversation.status == "active"
    synced = await again.call(
        "chat:sync", {"conversation_id": conversation_id, "after_seq": last["seq"]}
    )
    assert [m["text"] for m in synced["messages"]] == ["one", "two", "three"]
    assert [m["seq"] for m in synced["messages"]] == [
        last["seq"] + 1,
        last["seq"] + 2,
        last["seq"] + 3,
    ]
    await again.disconnect()
    await alex.disconnect()


async def test_a_resent_message_is_stored_once_and_acked_twice(server: Server) -> None:
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {}))["conversation"]["id"]
    payload = {"conversation_id": conversation_id, "client_id": "retry-me", "text": "hello?"}
    first, second = (
        await shopper.call("chat:send", payload),
        await shopper.call("chat:send", payload),
    )
    assert first["message"] == second["message"]
    synced = await shopper.call("chat:sync", {"conversation_id": conversation_id, "after_seq": 0})
    assert [m["text"] for m in synced["messages"]] == ["hello?"]
    await shopper.disconnect()


async def test_two_tabs_of_one_shopper_see_the_same_conversation(server: Server) -> None:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    tab1 = await shopper_peer(server.url)
    token = tab1.received("session")[0]["visitor_token"]
    conversation_id = (await tab1.call("chat:start", {"text": "hi"}))["conversation"]["id"]
    tab2 = await shopper_peer(server.url, {"visitor_token": token})
    assert tab2.received("session")[0]["conversation"]["id"] == conversation_id
    await alex.call("request:accept", {"conversation_id": conversation_id})
    await alex.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "hello both"}
    )
    for tab in (tab1, tab2):
        await tab.expect("chat:message", lambda d: d["text"] == "hello both")
    again = await tab2.call("chat:start", {"text": "a second start"})
    assert again["conversation"]["id"] == conversation_id
    for peer in (tab1, tab2, alex):
        await peer.disconnect()


async def test_positions_move_up_as_requests_ahead_are_taken(server: Server) -> None:
    await server.add_agent("alex", max_chats=1)
    alex = await agent_peer(server.url, "alex")
    first = await shopper_peer(server.url)
    second = await shopper_peer(server.url)
    c1 = (await first.call("chat:start", {}))["conversation"]["id"]
    started = await second.call("chat:start", {})
    assert started["conversation"]["position"] == 2
    await second.expect("queue:position", lambda d: d["position"] == 2)
    await alex.call("request:accept", {"conversation_id": c1})
    moved = await second.expect("queue:position", lambda d: d["position"] == 1)
    # Alex is now at capacity: the estimate is no longer zero.
    assert moved["eta_seconds"] > 0
    busy = await alex.call("request:accept", {"conversation_id": started["conversation"]["id"]})
    assert busy["ok"] is False and busy["error"]["code"] == "at_capacity"
    for peer in (first, second, alex):
        await peer.disconnect()


async def test_requeue_to_another_queue_is_taken_there_with_the_note(server: Server) -> None:
    await server.add_agent("alex", queues=("general",))
    await server.add_agent("jo", queues=("returns",))
    alex = await agent_peer(server.url, "alex")
    jo = await agent_peer(server.url, "jo")
    await jo.call("queue:watch", {"queues": ["returns"]})
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {"text": "return a jacket"}))[
        "conversation"
    ]["id"]
    await alex.call("request:accept", {"conversation_id": conversation_id})
    requeued = await alex.call(
        "request:requeue",
        {"conversation_id": conversation_id, "queue": "returns", "note": "jacket, size M"},
    )
    assert requeued == {"ok": True}
    dropped = await alex.expect(
        "conversation:update", lambda d: d["conversation"]["status"] == "waiting"
    )
    assert dropped["conversation"]["assignee"] is None
    await shopper.expect("chat:status", lambda d: d["status"] == "waiting")
    await shopper.expect("queue:position", lambda d: d["position"] == 1)
    request = await jo.expect("queue:update", lambda d: bool(d["waiting"]))
    assert request["waiting"][0]["requeued_from"] == "general"
    assert request["waiting"][0]["note"] == "jacket, size M"
    taken = await jo.call("request:accept", {"conversation_id": conversation_id})
    assert any("jacket, size M" in m["text"] for m in taken["private_messages"])
    assert all("size M" not in m["text"] for m in taken["messages"])
    status = await shopper.expect(
        "chat:status", lambda d: d["status"] == "active" and d["agent"]["name"] == "Jo"
    )
    assert status["conversation_id"] == conversation_id
    for peer in (alex, jo, shopper):
        await peer.disconnect()


async def test_transfer_and_consult_between_colleagues(server: Server) -> None:
    await server.add_agent("alex")
    sam_id = await server.add_agent("sam")
    lee_id = await server.add_agent("lee")
    alex, sam, lee = (
        await agent_peer(server.url, "alex"),
        await agent_peer(server.url, "sam"),
        await agent_peer(server.url, "lee"),
    )
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {"text": "my invoice"}))["conversation"][
        "id"
    ]
    await alex.call("request:accept", {"conversation_id": conversation_id})

    invited = await alex.call(
        "consult:invite", {"conversation_id": conversation_id, "agent_id": lee_id, "note": "tax?"}
    )
    assert invited == {"ok": True}
    view = await lee.expect("conversation:update")
    assert [c["id"] for c in view["conversation"]["consultants"]] == [lee_id]
    public = await lee.call("chat:sync", {"conversation_id": conversation_id, "after_seq": 0})
    assert public["messages"][0]["text"] == "my invoice"
    said = await lee.call(
        "chat:send",
        {
            "conversation_id": conversation_id,
            "client_id": cid(),
            "thread": "private",
            "text": "exempt, see note",
        },
    )
    assert said["ok"]
    await alex.expect("chat:message", lambda d: d["text"] == "exempt, see note")
    refused = await lee.call(
        "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": "hello"}
    )
    assert refused["error"]["code"] == "forbidden"

    moved = await alex.call(
        "request:transfer",
        {"conversation_id": conversation_id, "agent_id": sam_id, "note": "billing"},
    )
    assert moved == {"ok": True}
    mine = await sam.expect(
        "conversation:update", lambda d: (d["conversation"]["assignee"] or {}).get("id") == sam_id
    )
    assert mine["conversation"]["id"] == conversation_id
    await alex.expect(
        "conversation:update", lambda d: d["conversation"]["assignee"]["id"] == sam_id
    )
    await shopper.expect("chat:status", lambda d: d["agent"] and d["agent"]["name"] == "Sam")
    # The shopper never hears of the consult.
    texts = [m["text"] for m in shopper.received("chat:message")]
    assert not any("tax" in t or "exempt" in t or "consult" in t for t in texts)
    for peer in (alex, sam, lee, shopper):
        await peer.disconnect()


async def test_direct_messages_and_presence_between_csrs(server: Server) -> None:
    alex_id = await server.add_agent("alex")
    sam_id = await server.add_agent("sam")
    alex = await agent_peer(server.url, "alex")
    sam = await agent_peer(server.url, "sam")
    presence = PresenceEvent.model_validate(
        await alex.expect(
            "agents:presence",
            lambda d: {a["id"]: a["status"] for a in d["agents"]}.get(sam_id) == "available",
        )
    )
    assert {a.id for a in presence.agents} >= {alex_id, sam_id}
    assert await sam.call("agent:status", {"status": "away"}) == {"ok": True}
    await alex.expect(
        "agents:presence",
        lambda d: {a["id"]: a["status"] for a in d["agents"]}.get(sam_id) == "away",
    )
    sent = await alex.call(
        "direct:send", {"to_agent_id": sam_id, "client_id": cid(), "text": "lunch?"}
    )
    assert sent["message"]["thread"] == "direct" and sent["message"]["to_agent_id"] == sam_id
    got = await sam.expect("direct:message")
    assert got["text"] == "lunch?" and got["author"]["id"] == alex_id
    await alex.expect("direct:message")  # the sender's other tabs hear it too
    synced = await sam.call("direct:sync", {"agent_id": alex_id, "after_seq": 0})
    assert [m["text"] for m in synced["messages"]] == ["lunch?"]
    await sam.disconnect()
    await alex.expect(
        "agents:presence",
        lambda d: {a["id"]: a["status"] for a in d["agents"]}.get(sam_id) == "offline",
    )
    await alex.disconnect()


async def test_agent_session_lists_open_conversations_after_a_reload(server: Server) -> None:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {}))["conversation"]["id"]
    await alex.call("request:accept", {"conversation_id": conversation_id})
    await alex.disconnect()
    again = await agent_peer(server.url, "alex")
    session = AgentSessionEvent.model_validate(again.received("session")[0])
    assert [c.id for c in session.conversations] == [conversation_id]
    assert {q.name: q.member for q in session.queues}["general"] is True
    await again.disconnect()
    await shopper.disconnect()


async def test_a_csr_gone_past_the_grace_period_loses_their_chats_to_the_queue(
    server: Server,
) -> None:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {}))["conversation"]["id"]
    await alex.call("request:accept", {"conversation_id": conversation_id})
    await shopper.expect("chat:status", lambda d: d["status"] == "active")
    await alex.disconnect()
    back = await shopper.expect("chat:status", lambda d: d["status"] == "waiting", timeout=10)
    assert back["agent"] is None
    await shopper.expect("queue:position", lambda d: d["position"] == 1)
    await shopper.disconnect()


async def test_a_csr_back_within_the_grace_period_keeps_their_chats(server: Server) -> None:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    shopper = await shopper_peer(server.url)
    conversation_id = (await shopper.call("chat:start", {}))["conversation"]["id"]
    await alex.call("request:accept", {"conversation_id": conversation_id})
    await alex.disconnect()
    alex = await agent_peer(server.url, "alex")
    await asyncio.sleep(2.0)  # twice the grace period of the test server
    assert not [e for e in shopper.received("chat:status") if e["status"] == "waiting"]
    session = alex.received("session")[0]
    assert [c["id"] for c in session["conversations"]] == [conversation_id]
    for peer in (alex, shopper):
        await peer.disconnect()
