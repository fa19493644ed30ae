"""``MessageWriter``, the sockets' chat:send: group commit in the message store's process on
SQLite, one transaction per message elsewhere; the same guarantees as the one-message use cases
either way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from chat import messaging
from chat.domain import AuthorKind, Message, ThreadKind
from chat.writer import MessageWriter
from queues import routing
from queues.domain import Agent
from queues.errors import Forbidden, InvalidInput, InvalidState, NotFound
from queues.notices import MessagePosted
from tests.integration.care import Care


@pytest.fixture
async def w(care: Care) -> AsyncIterator[MessageWriter]:
    writer = MessageWriter(care.runner, care.clock)
    yield writer
    await writer.aclose()


async def shopper(
    w: MessageWriter, cid: str, client_id: str, text: str = "hi", visitor: str = "v1"
) -> Message:
    return await w.send_customer(
        visitor_id=visitor,
        visitor_name=None,
        conversation_id=cid,
        client_id=client_id,
        text=text,
        max_chars=4000,
    )


async def stored(care: Care, cid: str, visitor: str = "v1") -> list[Message]:
    page = await care.runner.run(
        messaging.sync_for_customer, visitor_id=visitor, conversation_id=cid, after_seq=0
    )
    return page.messages


async def test_concurrent_senders_get_gapless_seqs_and_every_message_is_announced(
    care: Care, w: MessageWriter
) -> None:
    cids = [await care.start(f"v{i}") for i in range(4)]

    async def burst(i: int, cid: str) -> list[int]:
        return [(await shopper(w, cid, f"c{k}", f"m{k}", f"v{i}")).seq for k in range(10)]

    seqs = await asyncio.gather(*(burst(i, cid) for i, cid in enumerate(cids)))
    assert seqs == [list(range(1, 11))] * 4
    for i, cid in enumerate(cids):
        messages = await stored(care, cid, f"v{i}")
        assert [m.seq for m in messages] == list(range(1, 11))
        assert [m.text for m in messages] == [f"m{k}" for k in range(10)]
        assert all(m.author.kind is AuthorKind.CUSTOMER for m in messages)
        assert messages[0].author.name == f"V{i}"  # the name given when the chat started
    posted = [n for n in care.dispatcher.notices if isinstance(n, MessagePosted)]
    assert len(posted) == 40
    assert {p.visitor_id for p in posted} == {f"v{i}" for i in range(4)}


async def test_a_resend_in_the_same_batch_or_later_gives_back_the_stored_message(
    care: Care, w: MessageWriter
) -> None:
    cid = await care.start("v1")
    if w.batches:  # both in one batch
        first, again = await asyncio.gather(shopper(w, cid, "same", "one"), shopper(w, cid, "same"))
    else:  # two concurrent transactions would race on the unique client id: one after the other
        first, again = await shopper(w, cid, "same", "one"), await shopper(w, cid, "same")
    later = await shopper(w, cid, "same", "something else")
    assert first.seq == again.seq == later.seq == 1
    assert first.id == again.id == later.id
    assert later.text == "one"
    assert [m.text for m in await stored(care, cid)] == ["one"]
    assert len(care.dispatcher.of(MessagePosted)) == 1


async def test_a_refused_message_leaves_the_others_of_its_batch_alone(
    care: Care, w: MessageWriter
) -> None:
    mine = await care.start("v1")
    other = await care.start("v2")
    results = await asyncio.gather(
        shopper(w, mine, "a", "first"),
        shopper(w, other, "b", "not my conversation"),  # v1 writing in v2's
        shopper(w, mine, "c", "   "),
        shopper(w, "c_nonexistent", "d"),
        shopper(w, mine, "e", "second"),
        return_exceptions=True,
    )
    assert isinstance(results[1], NotFound)
    assert isinstance(results[2], InvalidInput)
    assert isinstance(results[3], NotFound)
    texts = [m.text for m in await stored(care, mine)]
    # One batch keeps its arrival order; separate transactions (PostgreSQL) commit in any.
    assert texts == ["first", "second"] if w.batches else sorted(texts) == ["first", "second"]
    assert [m.seq for m in await stored(care, mine)] == [1, 2]
    assert await stored(care, other, "v2") == []
    assert len(care.dispatcher.of(MessagePosted)) == 2


async def test_a_closed_conversation_takes_no_more_messages(care: Care, w: MessageWriter) -> None:
    cid = await care.start("v1")
    await care.runner.run(routing.close_by_customer, care.clock, "v1", cid)
    with pytest.raises(InvalidState):
        await shopper(w, cid, "late")


async def test_csr_messages_follow_the_same_rules(care: Care, w: MessageWriter) -> None:
    alex = await care.add_agent("alex")
    sam = await care.add_agent("sam")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)

    async def csr(agent: Agent, thread: ThreadKind, client_id: str) -> Message:
        return await w.send_agent(
            agent=agent,
            conversation_id=cid,
            thread=thread,
            client_id=client_id,
            text=f"{agent.username} {thread.value}",
            max_chars=4000,
        )

    public, private = await asyncio.gather(
        csr(alex, ThreadKind.PUBLIC, "p"), csr(alex, ThreadKind.PRIVATE, "q")
    )
    assert (public.seq, private.seq) == (2, 1)  # seq 1 of the public thread: "Alex joined"
    with pytest.raises(Forbidden):
        await csr(sam, ThreadKind.PUBLIC, "x")
    # The shopper hears the public message only; the CSR hears both.
    posted = [
        n
        for n in care.dispatcher.notices
        if isinstance(n, MessagePosted) and n.message.client_id in ("p", "q")
    ]
    assert [(p.message.thread, p.visitor_id, p.agent_ids) for p in posted] == [
        (ThreadKind.PUBLIC, "v1", (alex.id,)),
        (ThreadKind.PRIVATE, None, (alex.id,)),
    ]
    assert [m.text for m in await stored(care, cid)][-1] == "alex public"


async def test_messages_from_both_connections_share_one_gapless_sequence(
    care: Care, w: MessageWriter
) -> None:
    """The sockets' messages (the message store's connection, on SQLite another process) and
    the server's own (its connection: system messages, slash commands) go into the same thread
    at the same time without a gap or a duplicate seq."""
    cid = await care.start("v1")

    async def via_server(k: int) -> Message:
        return await care.runner.run(
            messaging.send_customer_message,
            care.clock,
            visitor_id="v1",
            visitor_name=None,
            conversation_id=cid,
            client_id=f"server-{k}",
            text=f"server {k}",
            max_chars=4000,
        )

    sent = await asyncio.gather(
        *(shopper(w, cid, f"socket-{k}", f"socket {k}") for k in range(30)),
        *(via_server(k) for k in range(10)),
    )
    assert sorted(m.seq for m in sent) == list(range(1, 41))
    messages = await stored(care, cid)
    assert [m.seq for m in messages] == list(range(1, 41))
    assert {m.id for m in messages} == {m.id for m in sent}
