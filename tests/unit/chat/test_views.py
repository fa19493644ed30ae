"""``views.message_payload``: the hand-built wire form of a message is the schema's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chat import views
from chat.domain import SYSTEM, Author, AuthorKind, Message, ThreadKind
from chat.schemas import MessageOut

WHEN = datetime(2026, 11, 23, 9, 30, 5, 123456, tzinfo=UTC)


def message(**changes: object) -> Message:
    base: dict[str, object] = {
        "id": "m_1",
        "thread": ThreadKind.PUBLIC,
        "seq": 7,
        "client_id": "c-1",
        "author": Author(AuthorKind.CUSTOMER, "v_1", "Dana"),
        "text": "Where is my order? <b>now</b> é 😀",
        "created_at": WHEN,
        "conversation_id": "c_1",
    }
    base.update(changes)
    return Message(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "msg",
    [
        message(),
        message(thread=ThreadKind.PRIVATE, author=Author(AuthorKind.AGENT, "a_1", "Sam")),
        message(author=SYSTEM, text="Sam joined the chat."),
        message(
            thread=ThreadKind.DIRECT,
            conversation_id=None,
            to_agent_id="a_2",
            author=Author(AuthorKind.AGENT, "a_1", "Sam"),
        ),
        message(created_at=WHEN.replace(microsecond=0)),
        message(created_at=WHEN.astimezone(timezone(timedelta(hours=-5)))),
        message(
            author=Author(AuthorKind.BOT, "careline", "Careline"),
            card={"kind": "order", "lines": [{"sku": "A-1", "qty": 2}], "total": "19.90"},
        ),
    ],
    ids=["public", "private", "system", "direct", "whole-second", "other-zone", "card"],
)
def test_message_payload_is_the_schema_dump(msg: Message) -> None:
    payload = views.message_payload(msg)
    assert payload == views.message_out(msg).model_dump(mode="json")
    # and what a client gets validates against the event's schema
    assert MessageOut.model_validate(payload).seq == msg.seq


def test_message_text_stays_text() -> None:
    payload = views.message_payload(message(text="<img src=x onerror=alert(1)>"))
    assert payload["text"] == "<img src=x onerror=alert(1)>"
