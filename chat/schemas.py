"""Every payload on the wire, as pydantic models: what clients send (validated on the way in)
and what the server emits (built through these models, so tests can check every event)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ClientId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
# The length cap on text is enforced by the use case (with the configured limit); this only keeps
# absurd payloads out before anything else runs.
Text = Annotated[str, StringConstraints(max_length=100_000)]
ShortText = Annotated[str, StringConstraints(max_length=200)]
Note = Annotated[str, StringConstraints(max_length=2000)]
QueueName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Inbound(BaseModel):
    """Client payloads: unknown fields are refused so a typo is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=False)


class Outbound(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- client → server ---------------------------------------------------------------------------


class ChatStartIn(Inbound):
    queue: QueueName | None = None
    topic: ShortText | None = None
    name: ShortText | None = None
    email: (
        Annotated[str, StringConstraints(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
        | None
    ) = None
    text: Text | None = None
    client_id: ClientId | None = None


class ChatSendIn(Inbound):
    conversation_id: Id
    client_id: ClientId
    text: Text
    thread: Literal["public", "private"] = "public"


class ChatSyncIn(Inbound):
    conversation_id: Id
    after_seq: Annotated[int, Field(ge=0)] = 0
    thread: Literal["public", "private"] = "public"


class TypingIn(Inbound):
    conversation_id: Id
    typing: bool


class ConversationRefIn(Inbound):
    conversation_id: Id


class PageViewIn(Inbound):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2048)]
    title: Annotated[str, StringConstraints(max_length=500)] = ""


class QueueWatchIn(Inbound):
    queues: Annotated[list[QueueName], Field(max_length=50)]


class RequeueIn(Inbound):
    conversation_id: Id
    queue: QueueName
    note: Note | None = None


class TransferIn(Inbound):
    conversation_id: Id
    agent_id: Id
    note: Note | None = None


class ConsultInviteIn(Inbound):
    conversation_id: Id
    agent_id: Id
    note: Note | None = None


class DirectSendIn(Inbound):
    to_agent_id: Id
    client_id: ClientId
    text: Text


class DirectSyncIn(Inbound):
    agent_id: Id
    after_seq: Annotated[int, Field(ge=0)] = 0


class AgentStatusIn(Inbound):
    status: Literal["available", "away"]


class ReadIn(Inbound):
    thread_id: Id
    seq: Annotated[int, Field(ge=0)]


class ConversationHistoryIn(Inbound):
    conversation_id: Id


# --- server → client ---------------------------------------------------------------------------


class AuthorOut(Outbound):
    kind: Literal["customer", "agent", "bot", "system"]
    id: str | None
    name: str | None


class MessageOut(Outbound):
    id: str
    conversation_id: str | None
    thread: Literal["public", "private", "direct"]
    seq: int
    client_id: str
    author: AuthorOut
    text: str
    created_at: datetime
    card: dict[str, Any] | None = None
    to_agent_id: str | None = None


class AgentRef(Outbound):
    id: str
    name: str


class PublicAgentRef(Outbound):
    """What a shopper learns of their CSR: the name only."""

    name: str


class CustomerConversationOut(Outbound):
    id: str
    status: Literal["waiting", "active", "closed"]
    queue: str
    topic: str | None
    position: int | None
    agent: PublicAgentRef | None


class VisitorOut(Outbound):
    id: str
    current_url: str | None
    current_title: str | None


class AgentConversationOut(Outbound):
    id: str
    status: Literal["waiting", "active", "closed"]
    queue: str
    topic: str | None
    name: str | None
    email: str | None
    customer: dict[str, Any] | None
    visitor: VisitorOut
    assignee: AgentRef | None
    consultants: list[AgentRef]
    waiting_since: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    requeued_from: str | None
    note: str | None
    last_seq: dict[str, int]
    read_seq: dict[str, int]


class RequestOut(Outbound):
    conversation_id: str
    queue: str
    customer: dict[str, Any] | None
    name: str | None
    topic: str | None
    waiting_since: datetime
    requeued_from: str | None = None
    note: str | None = None
    position: int
    preview: str | None = None


class QueueOut(Outbound):
    name: str
    title: str
    member: bool


class AgentOut(Outbound):
    id: str
    username: str
    name: str
    role: Literal["agent", "lead", "admin"]
    status: Literal["available", "away", "offline"]
    max_chats: int


class CustomerSessionEvent(Outbound):
    visitor_id: str
    visitor_token: str
    customer: dict[str, Any] | None
    conversation: CustomerConversationOut | None


class AgentSessionEvent(Outbound):
    agent: AgentOut
    queues: list[QueueOut]
    conversations: list[AgentConversationOut]
    direct: list[DirectThreadOut]


class DirectThreadOut(Outbound):
    agent_id: str
    thread_id: str
    last_seq: int
    read_seq: int


class ChatStatusEvent(Outbound):
    conversation_id: str
    status: Literal["waiting", "active", "closed"]
    agent: PublicAgentRef | None


class QueuePositionEvent(Outbound):
    conversation_id: str
    position: int
    eta_seconds: int


class QueueUpdateEvent(Outbound):
    queue: str
    waiting: list[RequestOut]


class TypingEvent(Outbound):
    conversation_id: str
    typing: bool
    # Who is typing: a CSR sees the shopper's or a colleague's name; a shopper sees only that
    # their CSR is typing (the name they already know).
    name: str | None = None
    thread: Literal["public", "private"] = "public"


class PresenceAgent(Outbound):
    id: str
    name: str
    role: Literal["agent", "lead", "admin"]
    status: Literal["available", "away", "offline"]
    load: int
    max_chats: int


class PresenceEvent(Outbound):
    agents: list[PresenceAgent]


class ConversationUpdateEvent(Outbound):
    conversation: AgentConversationOut


class VisitorPageEvent(Outbound):
    conversation_id: str
    url: str
    title: str


AgentSessionEvent.model_rebuild()

# Every event name a client can receive, and the schema its payload follows.
SERVER_EVENTS: dict[str, type[Outbound]] = {
    "session": Outbound,  # namespace-specific: CustomerSessionEvent or AgentSessionEvent
    "chat:message": MessageOut,
    "direct:message": MessageOut,
    "chat:status": ChatStatusEvent,
    "chat:typing": TypingEvent,
    "queue:position": QueuePositionEvent,
    "queue:update": QueueUpdateEvent,
    "agents:presence": PresenceEvent,
    "conversation:update": ConversationUpdateEvent,
    "visitor:page": VisitorPageEvent,
}
