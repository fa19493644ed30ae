"""A connection that starts on long-polling and moves to websocket mid-session (what
socket.io-client does when told to try polling first) carries the chat with every frame in
order. (Websocket from the start is what every other end-to-end test uses.)"""

from __future__ import annotations

import asyncio

from chat.schemas import MessageOut
from tests.e2e.conftest import Server
from tests.e2e.peers import Peer, agent_peer, cid, shopper_peer


async def _taken_conversation(server: Server, shopper: Peer) -> tuple[Peer, str]:
    await server.add_agent("alex")
    alex = await agent_peer(server.url, "alex")
    started = await shopper.call("chat:start", {"topic": "Delivery", "text": "Hello?"})
    assert started["ok"], started
    conversation_id = started["conversation"]["id"]
    accepted = await alex.call("request:accept", {"conversation_id": conversation_id})
    assert accepted["ok"], accepted
    return alex, conversation_id


async def _leave(*peers: Peer) -> None:
    # A long-poll left open would hold the server's shutdown until it times out.
    await asyncio.gather(*(peer.disconnect() for peer in peers))


async def _chat_both_ways(shopper: Peer, alex: Peer, conversation_id: str, count: int) -> None:
    """``count`` messages each way, sent without waiting; each side hears the other's in order."""
    sends = [
        alex.call(
            "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": f"a{i}"}
        )
        for i in range(count)
    ]
    sends += [
        shopper.call(
            "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": f"s{i}"}
        )
        for i in range(count)
    ]
    acks = await asyncio.gather(*sends)
    assert all(ack["ok"] for ack in acks), acks
    await shopper.expect("chat:message", lambda d: d["text"] == f"a{count - 1}")
    await alex.expect("chat:message", lambda d: d["text"] == f"s{count - 1}")

    def heard(peer: Peer, prefix: str) -> list[MessageOut]:
        return [
            MessageOut.model_validate(d)
            for d in peer.received("chat:message")
            if d["text"].startswith(prefix) and d["text"][1:].isdigit()
        ]

    for peer, prefix in ((shopper, "a"), (alex, "s")):
        messages = heard(peer, prefix)
        assert [m.text for m in messages] == [f"{prefix}{i}" for i in range(count)]
        seqs = [m.seq for m in messages]
        assert seqs == sorted(seqs) and len(set(seqs)) == count


async def test_a_shopper_upgraded_from_polling_to_websocket_misses_nothing(
    generous_server: Server,
) -> None:
    shopper = await shopper_peer(generous_server.url, transports=("polling", "websocket"))
    alex, conversation_id = await _taken_conversation(generous_server, shopper)
    for _ in range(100):
        if shopper.sio.transport() == "websocket":
            break
        await asyncio.sleep(0.05)
    assert shopper.sio.transport() == "websocket"
    await _chat_both_ways(shopper, alex, conversation_id, 30)
    await _leave(shopper, alex)


async def test_a_tab_upgrading_while_the_csr_writes_hears_every_message_in_order(
    generous_server: Server,
) -> None:
    """A second tab of the shopper opens (polling, then websocket) while the CSR is writing:
    from the moment it joined, it hears every message, in order, across the upgrade."""
    shopper = await shopper_peer(generous_server.url)
    alex, conversation_id = await _taken_conversation(generous_server, shopper)
    token = shopper.received("session")[0]["visitor_token"]
    texts = [f"n{i}" for i in range(120)]

    async def write() -> None:
        for text in texts:
            sent = await alex.call(
                "chat:send", {"conversation_id": conversation_id, "client_id": cid(), "text": text}
            )
            assert sent["ok"], sent

    writing = asyncio.create_task(write())
    await shopper.expect("chat:message", lambda d: d["text"] == "n5")
    tab = await shopper_peer(
        generous_server.url, {"visitor_token": token}, transports=("polling", "websocket")
    )
    await writing
    await tab.expect("chat:message", lambda d: d["text"] == texts[-1], timeout=10)
    heard = [d["text"] for d in tab.received("chat:message") if d["text"] in texts]
    assert heard and heard == texts[texts.index(heard[0]) :]
    assert tab.sio.transport() == "websocket"
    await _leave(shopper, tab, alex)
