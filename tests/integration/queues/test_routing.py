"""Care queue use cases on real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from chat import messaging
from chat.domain import ThreadKind
from queues import routing
from queues.domain import Role, Status
from queues.errors import AlreadyTaken, AtCapacity, Forbidden, InvalidState, UnknownQueue
from queues.notices import ConversationChanged, QueueChanged
from queues.runner import CareRunner
from queues.uow import CareUnitOfWork
from tests.integration.care import Care


async def waiting_ids(care: Care, queue: str) -> list[str]:
    async with CareUnitOfWork(care.engine) as uow:
        return [c.id for c in await uow.conversations.waiting(queue)]


async def get(care: Care, conversation_id: str) -> routing.Conversation:
    async with CareUnitOfWork(care.engine) as uow:
        conv = await uow.conversations.get(conversation_id)
    assert conv is not None
    return conv


async def test_start_queues_the_request_and_announces_the_queue(care: Care) -> None:
    cid = await care.start("v1", text="Where is my parcel?")
    assert await waiting_ids(care, "general") == [cid]
    assert QueueChanged("general") in care.dispatcher.notices
    page = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=cid, after_seq=0
    )
    assert [m.text for m in page.messages] == ["Where is my parcel?"]


async def test_second_start_of_the_same_visitor_resumes_the_open_conversation(care: Care) -> None:
    first = await care.start("v1")
    again = await care.runner.run(
        routing.start_conversation,
        care.clock,
        routing.StartRequest("v1", None, "orders", None, None, None, None),
    )
    assert again.id == first
    assert await waiting_ids(care, "orders") == []


async def test_start_in_an_unknown_queue_is_refused_and_stores_nothing(care: Care) -> None:
    await care.add_visitor("v1")
    with pytest.raises(UnknownQueue):
        await care.runner.run(
            routing.start_conversation,
            care.clock,
            routing.StartRequest("v1", None, "nope", None, None, None, "hello"),
        )
    async with CareUnitOfWork(care.engine) as uow:
        assert await uow.conversations.open_for_visitor("v1") is None
    assert care.dispatcher.notices == []


async def test_accept_gives_the_csr_the_history_and_a_second_accept_is_already_taken(
    care: Care,
) -> None:
    alex, sam = await care.add_agent("alex"), await care.add_agent("sam")
    cid = await care.start("v1", text="hello")
    accepted = await care.runner.run(routing.accept_request, care.clock, alex, cid)
    assert accepted.conversation.assignee_id == alex.id
    assert accepted.messages[0].text == "hello"
    assert accepted.messages[-1].author.kind.value == "system"
    with pytest.raises(AlreadyTaken):
        await care.runner.run(routing.accept_request, care.clock, sam, cid)
    assert (await get(care, cid)).assignee_id == alex.id


async def test_concurrent_accepts_have_exactly_one_winner(care: Care) -> None:
    csrs = [await care.add_agent(f"csr{i}") for i in range(4)]
    cid = await care.start("v1")
    # Separate runners: separate connections and transactions, as on separate processes.
    runners = [CareRunner(care.engine, care.dispatcher) for _ in csrs]
    results = await asyncio.gather(
        *(
            r.run(routing.accept_request, care.clock, a, cid)
            for r, a in zip(runners, csrs, strict=True)
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, routing.Accepted)]
    losers = [r for r in results if isinstance(r, AlreadyTaken)]
    assert len(winners) == 1 and len(losers) == 3
    assert (await get(care, cid)).assignee_id == winners[0].conversation.assignee_id


async def test_csr_at_capacity_cannot_take_more_and_the_request_stays_waiting(care: Care) -> None:
    alex = await care.add_agent("alex", max_chats=1)
    first, second = await care.start("v1"), await care.start("v2")
    await care.runner.run(routing.accept_request, care.clock, alex, first)
    with pytest.raises(AtCapacity) as caught:
        await care.runner.run(routing.accept_request, care.clock, alex, second)
    assert caught.value.details["limit"] == 1
    assert await waiting_ids(care, "general") == [second]


async def test_closing_a_chat_frees_capacity(care: Care) -> None:
    alex = await care.add_agent("alex", max_chats=1)
    first, second = await care.start("v1"), await care.start("v2")
    await care.runner.run(routing.accept_request, care.clock, alex, first)
    await care.runner.run(routing.close_by_agent, care.clock, alex, first)
    await care.runner.run(routing.accept_request, care.clock, alex, second)
    assert (await get(care, second)).assignee_id == alex.id


async def test_requeue_keeps_the_original_waiting_time_and_the_note_stays_private(
    care: Care,
) -> None:
    alex = await care.add_agent("alex", queues=("general",))
    early = await care.start("v1")
    care.clock.advance(300)
    later = await care.start("v2", queue="returns")
    await care.runner.run(routing.accept_request, care.clock, alex, early)
    care.clock.advance(60)
    await care.runner.run(
        routing.requeue, care.clock, alex, early, "returns", "wants to return a jacket"
    )
    # The requeued shopper has waited longer than the one already in returns: they go first.
    assert await waiting_ids(care, "returns") == [early, later]
    conv = await get(care, early)
    assert (conv.status, conv.assignee_id, conv.requeued_from) == (Status.WAITING, None, "general")
    assert conv.requeue_note == "wants to return a jacket"
    shopper = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=early, after_seq=0
    )
    assert all("jacket" not in m.text for m in shopper.messages)
    sam = await care.add_agent("sam", queues=("returns",))
    await care.runner.run(routing.accept_request, care.clock, sam, early)
    private = await care.runner.run(
        messaging.sync_for_agent,
        agent=sam,
        conversation_id=early,
        thread=ThreadKind.PRIVATE,
        after_seq=0,
    )
    assert any("wants to return a jacket" in m.text for m in private.messages)
    async with CareUnitOfWork(care.engine) as uow:
        kinds = [e["kind"] for e in await uow.conversations.history(early)]
    assert kinds == ["created", "accepted", "requeued", "accepted"]


async def test_requeue_by_someone_else_is_forbidden_and_changes_nothing(care: Care) -> None:
    alex, sam = await care.add_agent("alex"), await care.add_agent("sam")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    with pytest.raises(Forbidden):
        await care.runner.run(routing.requeue, care.clock, sam, cid, "returns", None)
    conv = await get(care, cid)
    assert (conv.status, conv.queue, conv.assignee_id) == (Status.ACTIVE, "general", alex.id)


async def test_requeue_to_an_unknown_queue_changes_nothing(care: Care) -> None:
    alex = await care.add_agent("alex")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    with pytest.raises(UnknownQueue):
        await care.runner.run(routing.requeue, care.clock, alex, cid, "nowhere", "x")
    assert (await get(care, cid)).status is Status.ACTIVE


async def test_a_lead_may_requeue_any_conversation(care: Care) -> None:
    alex = await care.add_agent("alex")
    lead = await care.add_agent("lee", role=Role.LEAD)
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    await care.runner.run(routing.requeue, care.clock, lead, cid, "orders", None)
    assert (await get(care, cid)).queue == "orders"


async def test_transfer_hands_over_and_tells_both_csrs(care: Care) -> None:
    alex, sam = await care.add_agent("alex"), await care.add_agent("sam")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    care.dispatcher.notices.clear()
    await care.runner.run(routing.transfer, care.clock, alex, cid, sam.id, "billing question")
    assert (await get(care, cid)).assignee_id == sam.id
    changed = care.dispatcher.of(ConversationChanged)
    assert changed and set(changed[0].agent_ids) == {alex.id, sam.id}  # type: ignore[union-attr]
    with pytest.raises(Forbidden):
        await care.runner.run(
            messaging.send_agent_message,
            care.clock,
            agent=alex,
            conversation_id=cid,
            thread=ThreadKind.PUBLIC,
            client_id="late",
            text="still here?",
            max_chars=4000,
        )


async def test_transfer_to_a_colleague_at_capacity_is_refused(care: Care) -> None:
    alex, sam = await care.add_agent("alex"), await care.add_agent("sam", max_chats=1)
    busy, cid = await care.start("v1"), await care.start("v2")
    await care.runner.run(routing.accept_request, care.clock, sam, busy)
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    with pytest.raises(AtCapacity, match="Sam"):
        await care.runner.run(routing.transfer, care.clock, alex, cid, sam.id, None)
    assert (await get(care, cid)).assignee_id == alex.id


async def test_consulted_colleague_reads_public_writes_private_only(care: Care) -> None:
    alex, sam = await care.add_agent("alex"), await care.add_agent("sam")
    cid = await care.start("v1", text="my order is late")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    await care.runner.run(routing.invite_consult, care.clock, alex, cid, sam.id, "any idea?")
    public = await care.runner.run(
        messaging.sync_for_agent,
        agent=sam,
        conversation_id=cid,
        thread=ThreadKind.PUBLIC,
        after_seq=0,
    )
    assert public.messages[0].text == "my order is late"
    await care.runner.run(
        messaging.send_agent_message,
        care.clock,
        agent=sam,
        conversation_id=cid,
        thread=ThreadKind.PRIVATE,
        client_id="s1",
        text="offer express reship",
        max_chars=4000,
    )
    with pytest.raises(Forbidden):
        await care.runner.run(
            messaging.send_agent_message,
            care.clock,
            agent=sam,
            conversation_id=cid,
            thread=ThreadKind.PUBLIC,
            client_id="s2",
            text="hi customer",
            max_chars=4000,
        )
    assert (await get(care, cid)).assignee_id == alex.id
    shopper = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=cid, after_seq=0
    )
    assert all("reship" not in m.text and "consult" not in m.text for m in shopper.messages)


async def test_customer_close_ends_the_chat_for_good(care: Care) -> None:
    alex = await care.add_agent("alex")
    cid = await care.start("v1")
    await care.runner.run(routing.accept_request, care.clock, alex, cid)
    await care.runner.run(routing.close_by_customer, care.clock, "v1", cid)
    conv = await get(care, cid)
    assert (conv.status, conv.closed_by) == (Status.CLOSED, "customer")
    with pytest.raises(InvalidState):
        await care.runner.run(
            messaging.send_customer_message,
            care.clock,
            visitor_id="v1",
            visitor_name=None,
            conversation_id=cid,
            client_id="after",
            text="one more thing",
            max_chars=4000,
        )
    # The transcript is still there to read.
    page = await care.runner.run(
        messaging.sync_for_customer, visitor_id="v1", conversation_id=cid, after_seq=0
    )
    assert page.messages[-1].text == "You closed the chat."


async def test_a_shopper_cannot_close_someone_elses_conversation(care: Care) -> None:
    cid = await care.start("v1")
    await care.add_visitor("v2")
    with pytest.raises(routing.NotFound):
        await care.runner.run(routing.close_by_customer, care.clock, "v2", cid)
    assert (await get(care, cid)).status is Status.WAITING


async def test_abandoned_conversations_return_to_their_queues_in_front(care: Care) -> None:
    alex = await care.add_agent("alex")
    mine = await care.start("v1")
    care.clock.advance(120)
    newer = await care.start("v2")
    await care.runner.run(routing.accept_request, care.clock, alex, mine)
    returned = await care.runner.run(routing.return_to_queues, care.clock, alex.id)
    assert [c.id for c in returned] == [mine]
    assert await waiting_ids(care, "general") == [mine, newer]
    # A second sweep (another process) finds nothing more to move.
    assert await care.runner.run(routing.return_to_queues, care.clock, alex.id) == []
