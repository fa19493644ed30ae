from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from queues.domain import (
    DEFAULT_HANDLE_SECONDS,
    Agent,
    Conversation,
    Role,
    Status,
    average_handle_seconds,
    ensure_can_accept,
    ensure_may_read,
    ensure_may_route,
    ensure_may_write,
    estimate_wait_seconds,
    waiting_order,
)
from queues.errors import AlreadyTaken, AtCapacity, Forbidden, InvalidState

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def conv(
    id: str = "c1",
    status: Status = Status.WAITING,
    waited: int = 0,
    priority: int = 0,
    assignee: str | None = None,
    consultants: list[str] | None = None,
) -> Conversation:
    return Conversation(
        id=id,
        visitor_id="v1",
        status=status,
        queue="general",
        waiting_since=T0 - timedelta(seconds=waited),
        created_at=T0,
        priority=priority,
        assignee_id=assignee,
        consultant_ids=consultants or [],
    )


def agent(id: str = "a1", role: Role = Role.AGENT, max_chats: int = 3) -> Agent:
    return Agent(id=id, username=id, name=id.upper(), role=role, max_chats=max_chats)


def test_waiting_order_puts_priority_first_then_longest_wait() -> None:
    old = conv("old", waited=600)
    new = conv("new", waited=10)
    urgent = conv("urgent", waited=5, priority=1)
    assert [c.id for c in waiting_order([new, old, urgent])] == ["urgent", "old", "new"]


def test_waiting_order_is_stable_on_equal_times() -> None:
    a, b = conv("a", waited=30), conv("b", waited=30)
    assert [c.id for c in waiting_order([b, a])] == ["a", "b"]


def test_accept_refused_at_capacity_naming_the_limit() -> None:
    with pytest.raises(AtCapacity) as caught:
        ensure_can_accept(conv(), agent(max_chats=2), open_load=2)
    assert caught.value.details == {"limit": 2, "open": 2}
    assert "2" in caught.value.message


def test_accept_allowed_below_capacity() -> None:
    ensure_can_accept(conv(), agent(max_chats=2), open_load=1)


def test_accept_of_taken_request_says_already_taken() -> None:
    with pytest.raises(AlreadyTaken):
        ensure_can_accept(conv(status=Status.ACTIVE, assignee="a2"), agent(), 0)


def test_accept_of_closed_request_is_invalid() -> None:
    with pytest.raises(InvalidState):
        ensure_can_accept(conv(status=Status.CLOSED), agent(), 0)


def test_only_assignee_or_lead_may_route() -> None:
    active = conv(status=Status.ACTIVE, assignee="a1")
    ensure_may_route(active, agent("a1"))
    ensure_may_route(active, agent("boss", Role.LEAD))
    with pytest.raises(Forbidden):
        ensure_may_route(active, agent("a2"))


def test_consultant_writes_private_but_not_public() -> None:
    active = conv(status=Status.ACTIVE, assignee="a1", consultants=["a2"])
    ensure_may_write(active, agent("a2"), "private")
    with pytest.raises(Forbidden):
        ensure_may_write(active, agent("a2"), "public")
    with pytest.raises(Forbidden):
        ensure_may_write(active, agent("a3"), "private")


def test_nobody_writes_in_a_closed_conversation() -> None:
    closed = conv(status=Status.CLOSED, assignee="a1")
    with pytest.raises(InvalidState):
        ensure_may_write(closed, agent("a1"), "public")


def test_outsider_may_not_read_an_active_conversation() -> None:
    active = conv(status=Status.ACTIVE, assignee="a1")
    with pytest.raises(Forbidden):
        ensure_may_read(active, agent("a3"))
    ensure_may_read(active, agent("lead", Role.LEAD))
    ensure_may_read(conv(status=Status.WAITING), agent("a3"))


def test_average_handle_time_defaults_without_history() -> None:
    assert average_handle_seconds([]) == DEFAULT_HANDLE_SECONDS
    assert average_handle_seconds([100.0, 300.0]) == 200.0


def test_wait_is_zero_while_free_slots_cover_the_position() -> None:
    assert estimate_wait_seconds(position=2, handle_seconds=300, free_slots=2, slots=6) == 0


def test_wait_grows_with_position_beyond_free_slots() -> None:
    first = estimate_wait_seconds(position=3, handle_seconds=300, free_slots=0, slots=3)
    later = estimate_wait_seconds(position=6, handle_seconds=300, free_slots=0, slots=3)
    assert first == 300
    assert later == 600


def test_wait_with_nobody_available_still_gives_a_number() -> None:
    assert estimate_wait_seconds(position=1, handle_seconds=120, free_slots=0, slots=0) == 120
