"""Chat use cases on real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from chat import messaging
from chat.domain import ThreadKind
from queues import routing
from queues.errors import Forbidden, InvalidInput, InvalidState, NotFound
from queues.notices import MessagePosted, VisitorNavigated
from queues.runner import CareRunner
from queues.uow import CareUnitOfWork
from tests.integration.care import Care


async def shopper_says(care: Care, cid: str, text: str, client_id: str, visitor: str = "v1") -> int:
    message = await care.runner.run(
        messaging.send_customer_message,
        care.clock,
        visitor_id=visitor,
        visitor_name=None,
        conversation_id=cid,
        client_id=client_id,
        text=text,
        max_chars=4000,
    )
    return message.seq


async def test_sequence_numbers_have_no_gaps_under_concurrent_senders(care: Care) -> None:
    cid = await care.start("v1")
    runners = [CareRunner(care.engine, care.dispatcher) for _ in range(5)]

    async def burst(runner: CareRunner, n: int) -> None:
        for i in range(8):
            await runner.run(
                messaging.send_customer_message,
                care.clock,
                visitor_id="v1",
                visitor_name=None,
                conversation_id=cid,
                client_id=f"r{n}-{i}",
                text=f"message {n}/{i}",
                max_chars=4000,
            )

    await asyncio.gather(*(burst(r, n) for n, r in enumerate(runners)))
    page = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=cid, after_seq=0
    )
    assert [m.seq for m in page.messages] == list(range(1, 41))
    assert len({m.client_id for m in page.messages}) == 40


async def test_resend_with_the_same_client_id_stores_one_message(care: Care) -> None:
    cid = await care.start("v1")
    first = await shopper_says(care, cid, "hello", "same")
    again = await shopper_says(care, cid, "hello", "same")
    assert first == again == 1
    page = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=cid, after_seq=0
    )
    assert len(page.messages) == 1
    assert len(care.dispatcher.of(MessagePosted)) == 1


async def test_sync_returns_exactly_what_came_after(care: Care) -> None:
    cid = await care.start("v1")
    for i in range(5):
        await shopper_says(care, cid, f"m{i}", f"c{i}")
    page = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=cid, after_seq=3
    )
    assert [(m.seq, m.text) for m in page.messages] == [(4, "m3"), (5, "m4")]
    assert page.has_more is False


async def test_a_shopper_cannot_send_to_or_read_another_shoppers_conversation(care: Care) -> None:
    theirs = await care.start("v1", text="my address is 1 Main St")
    await care.start("v2")
    with pytest.raises(NotFound):
        await care.runner.run(
            messaging.sync_for_customer, visitor_id="v2", conversation_id=theirs, after_seq=0
        )
    with pytest.raises(NotFound):
        await shopper_says(care, theirs, "hi", "x", visitor="v2")
    page = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=theirs, after_seq=0
    )
    assert [m.text for m in page.messages] == ["my address is 1 Main St"]


async def test_unknown_conversation_is_not_found(care: Care) -> None:
    await care.add_visitor("v1")
    with pytest.raises(NotFound):
        await shopper_says(care, "c_does_not_exist", "hi", "x")


async def test_oversized_and_blank_texts_are_refused_and_nothing_is_stored(care: Care) -> None:
    cid = await care.start("v1")
    with pytest.raises(InvalidInput):
        await shopper_says(care, cid, "x" * 4001, "big")
    with pytest.raises(InvalidInput):
        await shopper_says(care, cid, "   ", "blank")
    assert await shopper_says(care, cid, "ok", "fine") == 1


async def test_private_messages_never_reach_the_shopper(care: Care) -> None:
    alex = await care.add_agent("alex")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    care.dispatcher.notices.clear()
    await care.runner.run(
        messaging.send_agent_message,
        care.clock,
        agent=alex,
        conversation_id=cid,
        thread=ThreadKind.PRIVATE,
        client_id="n1",
        text="customer sounds upset",
        max_chars=4000,
    )
    posted = care.dispatcher.of(MessagePosted)
    assert len(posted) == 1 and posted[0].visitor_id is None  # type: ignore[union-attr]
    page = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=cid, after_seq=0
    )
    assert all("upset" not in m.text for m in page.messages)


async def test_an_outsider_csr_cannot_read_or_write_an_active_conversation(care: Care) -> None:
    alex, sam = await care.add_agent("alex"), await care.add_agent("sam")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    with pytest.raises(Forbidden):
        await care.runner.run(
            messaging.sync_for_agent,
            agent=sam,
            conversation_id=cid,
            thread=ThreadKind.PRIVATE,
            after_seq=0,
        )
    with pytest.raises(Forbidden):
        await care.runner.run(
            messaging.send_agent_message,
            care.clock,
            agent=sam,
            conversation_id=cid,
            thread=ThreadKind.PUBLIC,
            client_id="x",
            text="hi",
            max_chars=4000,
        )


async def test_direct_messages_are_durable_and_synced_by_both_csrs(care: Care) -> None:
    alex, sam = await care.add_agent("alex"), await care.add_agent("sam")
    for i in range(3):
        await care.runner.run(
            messaging.send_direct_message,
            care.clock,
            sender=alex if i % 2 == 0 else sam,
            to_agent_id=sam.id if i % 2 == 0 else alex.id,
            client_id=f"d{i}",
            text=f"note {i}",
            max_chars=4000,
        )
    for me, other in ((alex, sam), (sam, alex)):
        page = await care.runner.run(
            messaging.sync_direct, agent=me, other_agent_id=other.id, after_seq=0
        )
        assert [(m.seq, m.text) for m in page.messages] == [
            (1, "note 0"),
            (2, "note 1"),
            (3, "note 2"),
        ]
    posted = care.dispatcher.of(MessagePosted)
    assert set(posted[0].agent_ids) == {alex.id, sam.id}  # type: ignore[union-attr]
    assert posted[0].message.to_agent_id == sam.id  # type: ignore[union-attr]


async def test_a_direct_message_to_oneself_or_nobody_is_refused(care: Care) -> None:
    alex = await care.add_agent("alex")
    with pytest.raises(InvalidState):
        await care.runner.run(
            messaging.send_direct_message,
            care.clock,
            sender=alex,
            to_agent_id=alex.id,
            client_id="x",
            text="hi me",
            max_chars=4000,
        )
    with pytest.raises(NotFound):
        await care.runner.run(
            messaging.send_direct_message,
            care.clock,
            sender=alex,
            to_agent_id="a_nobody",
            client_id="x",
            text="hi",
            max_chars=4000,
        )


async def test_read_marks_only_move_forward(care: Care) -> None:
    alex = await care.add_agent("alex")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    thread = f"{cid}:public"
    await care.runner.run(messaging.mark_read, agent=alex, thread_id=thread, seq=2)
    await care.runner.run(messaging.mark_read, agent=alex, thread_id=thread, seq=1)
    async with CareUnitOfWork(care.engine) as uow:
        assert await uow.messages.read_marks(alex.id, [thread]) == {thread: 2}


async def test_page_views_reach_the_csr_of_the_open_chat(care: Care) -> None:
    alex = await care.add_agent("alex")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    await care.runner.run(
        messaging.record_page_view, care.clock, visitor_id="v1", url="/shop/p/42", title="Boots"
    )
    navigated = care.dispatcher.of(VisitorNavigated)
    assert navigated == [VisitorNavigated("v1", cid, "/shop/p/42", "Boots", (alex.id,))]
    async with CareUnitOfWork(care.engine) as uow:
        visitor = await uow.visitors.get("v1")
    assert visitor is not None and visitor.current_url == "/shop/p/42"


async def test_a_shopper_who_signs_in_mid_chat_links_the_conversation(care: Care) -> None:
    from chat.visitors import arrive

    cid = await care.start("v1")
    arrival = await care.runner.run(arrive, care.clock, visitor_id="v1", customer_id="cust-9")
    assert arrival.visitor.id == "v1"
    assert arrival.conversation is not None and arrival.conversation.id == cid
    async with CareUnitOfWork(care.engine) as uow:
        conv = await uow.conversations.get(cid)
    assert conv is not None and conv.customer_id == "cust-9"
    # Signed out again on that computer: a fresh visitor, the conversation is not theirs.
    stranger = await care.runner.run(arrive, care.clock, visitor_id="v1", customer_id=None)
    assert stranger.visitor.id != "v1" and stranger.conversation is None
