"""The ``/customer`` namespace: the shopper's widget."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import socketio

from chat import messaging, views
from chat.domain import clean_text
from chat.namespaces.base import Ack, CareNamespace, ChatDeps, event
from chat.ports import describe_customer
from chat.postings import audience
from chat.rooms import AGENT_NS, CUSTOMER_NS, agent_room, visitor_room
from chat.schemas import (
    ChatSendIn,
    ChatStartIn,
    ChatSyncIn,
    ConversationRefIn,
    CustomerSessionEvent,
    PageViewIn,
    TypingEvent,
    TypingIn,
)
from chat.visitors import arrive
from queues import routing
from queues.errors import CareError, InvalidState, NotFound
from queues.uow import CareUnitOfWork
from web.auth import TokenExpired
from web.identity import IdentityError, verify_identity


def refuse(exc: CareError | IdentityError) -> socketio.exceptions.ConnectionRefusedError:
    """Refuse a connection: the client's ``connect_error`` gets ``message`` for a person and
    ``data: {code, message}`` for a program."""
    return socketio.exceptions.ConnectionRefusedError(
        exc.message, {"code": exc.code, "message": exc.message}
    )


class CustomerNamespace(CareNamespace):
    def __init__(self, deps: ChatDeps) -> None:
        super().__init__(CUSTOMER_NS, deps)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        auth = auth if isinstance(auth, dict) else {}
        customer_id: str | None = None
        identity = auth.get("identity")
        if identity is not None:
            try:
                customer_id = verify_identity(
                    self.deps.limits.storefront_secret, identity
                ).customer_id
            except IdentityError as exc:
                raise refuse(exc) from None
        visitor_id: str | None = None
        token = auth.get("visitor_token")
        if token is not None:
            try:
                visitor_id = self.deps.tokens.read_visitor_token(token)
            except TokenExpired:
                visitor_id = None  # an old visitor simply starts afresh
            except CareError as exc:
                raise refuse(exc) from None
        arrival = await self.deps.runner.run(
            arrive, self.deps.clock, visitor_id=visitor_id, customer_id=customer_id
        )
        visitor = arrival.visitor
        await self.save_session(
            sid,
            {
                "visitor_id": visitor.id,
                "customer_id": visitor.customer_id,
                "name": visitor.name,
                "bucket": self.new_bucket(),
            },
        )
        await self.enter_room(sid, visitor_room(visitor.id))

        async def send_session() -> None:
            expires = self.deps.clock.now() + timedelta(
                seconds=self.deps.limits.visitor_token_ttl_seconds
            )
            customer = await describe_customer(self.deps.directory, visitor.customer_id)
            async with CareUnitOfWork(self.deps.runner.engine) as uow:
                conv = await uow.conversations.open_for_visitor(visitor.id)
                conversation = await views.customer_conversation(uow, conv) if conv else None
            payload = CustomerSessionEvent(
                visitor_id=visitor.id,
                visitor_token=self.deps.tokens.visitor_token(visitor.id, expires),
                customer=customer,
                conversation=conversation,
            )
            await self.emit("session", payload.model_dump(mode="json"), to=sid)

        self.after_connect(sid, send_session)

    @event("chat:start", ChatStartIn)
    async def start(self, sid: str, session: dict[str, Any], data: ChatStartIn) -> Ack:
        name, email = data.name, data.email
        if session["customer_id"] and (name is None or email is None):
            profile = await self.deps.directory.summary(session["customer_id"]) or {}
            name = name or profile.get("name")
            email = email or profile.get("email")
        text = None
        if data.text:
            text = clean_text(data.text, self.deps.limits.max_message_chars)
        conv = await self.deps.runner.run(
            routing.start_conversation,
            self.deps.clock,
            routing.StartRequest(
                visitor_id=session["visitor_id"],
                customer_id=session["customer_id"],
                queue=data.queue,
                topic=data.topic,
                name=name,
                email=email,
                text=text,
                client_id=data.client_id,
            ),
        )
        if name:
            session["name"] = name
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            view = await views.customer_conversation(uow, conv)
        return {"ok": True, "conversation": view.model_dump(mode="json")}

    @event("chat:send", ChatSendIn)
    async def send(self, sid: str, session: dict[str, Any], data: ChatSendIn) -> Ack:
        if data.thread != "public":
            raise NotFound("No such thread.")
        message = await self.deps.messages.send_customer(
            visitor_id=session["visitor_id"],
            visitor_name=session["name"],
            conversation_id=data.conversation_id,
            client_id=data.client_id,
            text=data.text,
            max_chars=self.deps.limits.max_message_chars,
        )
        return {"ok": True, "message": views.message_payload(message)}

    @event("chat:sync", ChatSyncIn)
    async def sync(self, sid: str, session: dict[str, Any], data: ChatSyncIn) -> Ack:
        if data.thread != "public":
            # The shopper may not even learn whether a private thread has anything in it.
            raise NotFound("No such thread.")
        page = await self.deps.runner.run(
            messaging.sync_for_customer,
            visitor_id=session["visitor_id"],
            conversation_id=data.conversation_id,
            after_seq=data.after_seq,
        )
        return {
            "ok": True,
            "messages": [views.message_payload(m) for m in page.messages],
            "has_more": page.has_more,
        }

    @event("chat:typing", TypingIn)
    async def typing(self, sid: str, session: dict[str, Any], data: TypingIn) -> Ack:
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            conv = await uow.conversations.get(data.conversation_id)
        if conv is None or conv.visitor_id != session["visitor_id"]:
            raise NotFound("No such conversation.")
        if not conv.is_open():
            raise InvalidState("This conversation is closed.")
        people = audience(conv)
        if people:
            payload = TypingEvent(
                conversation_id=conv.id,
                typing=data.typing,
                name=session["name"] or conv.name or "Customer",
            )
            await self.server.emit(
                "chat:typing",
                payload.model_dump(mode="json"),
                to=[agent_room(a) for a in people],
                namespace=AGENT_NS,
            )
        return {"ok": True}

    @event("chat:close", ConversationRefIn)
    async def close(self, sid: str, session: dict[str, Any], data: ConversationRefIn) -> Ack:
        await self.deps.runner.run(
            routing.close_by_customer,
            self.deps.clock,
            session["visitor_id"],
            data.conversation_id,
        )
        return {"ok": True}

    @event("page:view", PageViewIn)
    async def page_view(self, sid: str, session: dict[str, Any], data: PageViewIn) -> Ack:
        await self.deps.runner.run(
            messaging.record_page_view,
            self.deps.clock,
            visitor_id=session["visitor_id"],
            url=data.url,
            title=data.title,
        )
        await self.deps.directory.record_page_view(session["visitor_id"], data.url, data.title)
        return {"ok": True}
