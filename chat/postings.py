"""A chat message on its way to be stored, as plain data, and the rules of who may write where.

A posting is what ``chat:send`` hands to the message store: who writes, in which thread, what
text, and the id and time the message gets. It carries no code and no connection, so it can be
stored by another process (chat/writer_process.py) as well as in this one; its checks run
where it is stored, against the conversation as stored inside the writing transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chat.domain import Author, AuthorKind, Message, ThreadKind, clean_text
from chat.threadids import thread_id_for
from queues.domain import Agent, Conversation, Status, ensure_may_write
from queues.errors import InvalidState, NotFound

# A resend is the same author and client id in the same thread: (thread id, author kind,
# author id, client id).
Key = tuple[str, str, str, str]


def audience(conv: Conversation) -> tuple[str, ...]:
    """The CSRs who hear a conversation: its assignee and the colleagues consulted."""
    ids = [conv.assignee_id] if conv.assignee_id else []
    ids.extend(c for c in conv.consultant_ids if c not in ids)
    return tuple(ids)


def customer_author(
    conv: Conversation | None, visitor_id: str, visitor_name: str | None
) -> tuple[Conversation, Author]:
    """The shopper writing in ``conv``, if they may: their own conversation, not closed."""
    # Someone else's conversation is answered exactly like one that does not exist.
    if conv is None or conv.visitor_id != visitor_id:
        raise NotFound("No such conversation.")
    if conv.status is Status.CLOSED:
        raise InvalidState("This conversation is closed; start a new one.")
    return conv, Author(AuthorKind.CUSTOMER, visitor_id, visitor_name or conv.name or "Customer")


def agent_author(
    conv: Conversation | None, agent: Agent, thread: ThreadKind
) -> tuple[Conversation, Author]:
    """The CSR writing in ``thread`` of ``conv``, if they may (see ``ensure_may_write``)."""
    if conv is None:
        raise NotFound("No such conversation.")
    ensure_may_write(conv, agent, thread.value)
    return conv, Author(AuthorKind.AGENT, agent.id, agent.name)


@dataclass(frozen=True, slots=True)
class Posting:
    """A chat message to store in one of a conversation's threads; its ``seq`` is given when
    it is stored. ``agent`` is the CSR writing, None for the conversation's shopper."""

    conversation_id: str
    thread: ThreadKind
    client_id: str
    text: str
    max_chars: int
    message_id: str
    created_at: datetime
    agent: Agent | None = None
    visitor_id: str | None = None
    visitor_name: str | None = None

    @property
    def author_kind(self) -> AuthorKind:
        return AuthorKind.CUSTOMER if self.agent is None else AuthorKind.AGENT

    @property
    def author_id(self) -> str:
        return self.agent.id if self.agent is not None else str(self.visitor_id)

    @property
    def key(self) -> Key:
        """What makes a resend a resend: the same author and client id in the same thread."""
        thread_id = thread_id_for(self.conversation_id, self.thread)
        return (thread_id, self.author_kind.value, self.author_id, self.client_id)

    def compose(self, conv: Conversation | None) -> Message:
        """The message to store in ``conv`` (None: there is none), after the checks that
        ``send_customer_message`` / ``send_agent_message`` make; raises a care error when the
        author may not write there or the text is not acceptable."""
        if self.agent is None:
            checked, author = customer_author(conv, str(self.visitor_id), self.visitor_name)
        else:
            checked, author = agent_author(conv, self.agent, self.thread)
        return Message(
            id=self.message_id,
            thread=self.thread,
            seq=0,
            client_id=self.client_id,
            author=author,
            text=clean_text(self.text, self.max_chars),
            created_at=self.created_at,
            conversation_id=checked.id,
        )


@dataclass(frozen=True, slots=True)
class Posted:
    message: Message
    conversation: Conversation
    # False: the author had already sent this client id; ``message`` is the one stored then.
    new: bool


@dataclass(frozen=True, slots=True)
class Stored:
    """What became of a posting, as its sender and the notices need it: the message stored (for
    a resend, the one stored before), and who hears of it when it is new."""

    message: Message
    new: bool
    # The shopper who hears it (a public message), else None; the CSRs who hear it.
    visitor_id: str | None
    agent_ids: tuple[str, ...]

    @classmethod
    def of(cls, posted: Posted) -> Stored:
        message, conv = posted.message, posted.conversation
        visitor = conv.visitor_id if message.thread is ThreadKind.PUBLIC else None
        return cls(message, posted.new, visitor, audience(conv))
