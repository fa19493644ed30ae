"""What goes through the message store's pipes comes out as it went in."""

from __future__ import annotations

import pickle
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from typing import TypeVar

import pytest

from chat.domain import Author, AuthorKind, Message, ThreadKind
from chat.postings import Posted, Posting, Stored
from chat.writer_process import _posting, _posting_row, _stored, _stored_row
from queues.domain import Agent, Conversation, Role, Status
from queues.errors import Forbidden

T = TypeVar("T")

WHEN = datetime(2026, 11, 23, 9, 30, 0, 123456, tzinfo=UTC)
ALEX = Agent("a_1", "alex", "Alex", Role.LEAD, 5, disabled=False)


def through_the_pipe(obj: T) -> T:
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))  # type: ignore[no-any-return]  # noqa: S301


@pytest.mark.parametrize(
    "posting",
    [
        Posting("c_1", ThreadKind.PUBLIC, "k1", " hi <b> ", 4000, "m_1", WHEN, None, "v_1", "Pat"),
        Posting("c_1", ThreadKind.PUBLIC, "k2", "x", 10, "m_2", WHEN, None, "v_1", None),
        Posting("c_2", ThreadKind.PRIVATE, "k3", "note", 4000, "m_3", WHEN, ALEX),
        Posting(
            "c_2",
            ThreadKind.PUBLIC,
            "k4",
            "hello",
            4000,
            "m_4",
            WHEN.astimezone(timezone(timedelta(hours=-5))),
            Agent("a_2", "sam", "Sam", Role.AGENT, 3, disabled=True),
        ),
    ],
)
def test_a_posting_arrives_whole(posting: Posting) -> None:
    assert _posting(through_the_pipe(_posting_row(posting))) == posting


def conversation(assignee: str | None, consultants: list[str]) -> Conversation:
    return Conversation(
        id="c_1",
        visitor_id="v_1",
        status=Status.ACTIVE,
        queue="general",
        waiting_since=WHEN,
        created_at=WHEN,
        assignee_id=assignee,
        consultant_ids=consultants,
    )


def message(thread: ThreadKind, card: dict[str, object] | None = None) -> Message:
    return Message(
        id="m_1",
        thread=thread,
        seq=7,
        client_id="k1",
        author=Author(AuthorKind.AGENT, "a_1", "Alex"),
        text="Your refund is on its way <script>",
        created_at=WHEN,
        conversation_id="c_1",
        card=card,
    )


@pytest.mark.parametrize(
    ("posted", "visitor", "agents"),
    [
        (
            Posted(message(ThreadKind.PUBLIC), conversation("a_1", ["a_2"]), True),
            "v_1",
            ("a_1", "a_2"),
        ),
        (Posted(message(ThreadKind.PRIVATE), conversation("a_1", []), True), None, ("a_1",)),
        (
            Posted(
                message(ThreadKind.PUBLIC, {"kind": "order", "total": 12.5}),
                conversation(None, []),
                False,
            ),
            "v_1",
            (),
        ),
    ],
)
def test_a_stored_message_comes_back_with_who_hears_it(
    posted: Posted, visitor: str | None, agents: tuple[str, ...]
) -> None:
    back = _stored(through_the_pipe(_stored_row(posted)))
    assert back == Stored(posted.message, posted.new, visitor, agents)
    assert back == Stored.of(posted)


def test_a_care_error_comes_back_with_its_code_and_details() -> None:
    refused = Forbidden("Not your conversation.", details={"conversation_id": "c_1"})
    back = _stored(through_the_pipe(_stored_row(refused)))
    assert isinstance(back, Forbidden)
    assert (back.code, back.message, back.details) == (
        "forbidden",
        "Not your conversation.",
        {"conversation_id": "c_1"},
    )


def test_any_other_error_comes_back_as_its_description() -> None:
    back = _stored(through_the_pipe(_stored_row(sqlite3.OperationalError("disk I/O error"))))
    assert isinstance(back, RuntimeError) and str(back) == "disk I/O error"
