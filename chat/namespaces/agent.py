"""The ``/agent`` namespace: the CSR's console."""

from __future__ import annotations

from typing import Any

from bots.commands import CommandContext, CommandError, Registry
from chat import messaging, views
from chat.domain import ThreadKind
from chat.namespaces.base import Ack, CareNamespace, ChatDeps, event
from chat.namespaces.customer import refuse
from chat.postings import audience
from chat.rooms import AGENT_NS, AGENTS_ROOM, CUSTOMER_NS, agent_room, queue_room, visitor_room
from chat.schemas import (
    AgentOut,
    AgentSessionEvent,
    AgentStatusIn,
    ChatSendIn,
    ChatSyncIn,
    ConsultInviteIn,
    ConversationRefIn,
    DirectSendIn,
    DirectSyncIn,
    DirectThreadOut,
    QueueOut,
    QueueWatchIn,
    ReadIn,
    RequeueIn,
    TransferIn,
    TypingEvent,
    TypingIn,
)
from queues import routing
from queues.accounts import live_agent
from queues.domain import Agent, AgentStatus
from queues.errors import CareError, Forbidden, InvalidState, NotFound, UnknownQueue
from queues.uow import CareUnitOfWork


class AgentUnavailable(CareError):
    code = "agent_unavailable"


class AgentNamespace(CareNamespace):
    def __init__(self, deps: ChatDeps, commands: Registry | None = None) -> None:
        super().__init__(AGENT_NS, deps)
        self.commands = commands or Registry()
        deps.bus.subscribe(self._on_control)

    # --- connection ------------------------------------------------------------------------

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        try:
            claims = self.deps.tokens.read_agent_token(token)
            agent = await self.deps.runner.run(
                live_agent, self.deps.clock, claims.agent_id, claims.session_id
            )
        except CareError as exc:
            raise refuse(exc) from None
        await self.save_session(
            sid,
            {
                "agent": agent,
                "session_id": claims.session_id,
                "bucket": self.new_bucket(),
                "watching": [],
            },
        )
        await self.enter_room(sid, agent_room(agent.id))
        await self.enter_room(sid, AGENTS_ROOM)
        first = await self.deps.presence.connected(agent.id, sid)
        self.deps.dispatcher.presence_changed()
        self.after_connect(sid, lambda: self._send_session(sid, agent))
        if first:
            await self._availability_changed(agent)

    async def _send_session(self, sid: str, agent: Agent) -> None:
        status = (await self.deps.presence.snapshot()).get(agent.id, AgentStatus.AVAILABLE)
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            member_of = set(await uow.agents.memberships(agent.id))
            queues = [
                QueueOut(name=q.name, title=q.title, member=q.name in member_of)
                for q in await uow.queues.all()
            ]
            conversations = [
                await views.agent_conversation(uow, conv, agent.id)
                for conv in await uow.conversations.open_for_agent(agent.id)
            ]
            direct_threads = await uow.messages.direct_threads_of(agent.id)
            marks = await uow.messages.read_marks(agent.id, [t[0] for t in direct_threads])
        await views.with_customers(self.deps.directory, *conversations)
        payload = AgentSessionEvent(
            agent=AgentOut(
                id=agent.id,
                username=agent.username,
                name=agent.name,
                role=agent.role.value,
                status=status.value,
                max_chats=agent.max_chats,
            ),
            queues=queues,
            conversations=conversations,
            direct=[
                DirectThreadOut(
                    agent_id=other, thread_id=tid, last_seq=last, read_seq=marks.get(tid, 0)
                )
                for tid, other, last in direct_threads
            ],
        )
        await self.emit("session", payload.model_dump(mode="json"), to=sid)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        try:
            session = await self.get_session(sid)
        except KeyError:
            return
        agent: Agent | None = session.get("agent")
        if agent is not None:
            last = await self.deps.presence.disconnected(agent.id, sid)
            self.deps.dispatcher.presence_changed()
            if last:
                await self._availability_changed(agent)

    async def _on_control(self, message: dict[str, Any]) -> None:
        """Another process (or this one) revoked a CSR's login: close their sockets here."""
        if message.get("kind") != "revoke":
            return
        agent_id, session_id = message.get("agent_id"), message.get("session_id")
        for sid, _ in list(
            self.server.manager.get_participants(AGENT_NS, agent_room(str(agent_id)))
        ):
            if session_id is not None:
                session = await self.get_session(sid)
                if session.get("session_id") != session_id:
                    continue
            await self.emit(
                "session:ended",
                {"reason": "signed_out" if session_id else "account_disabled"},
                to=sid,
            )
            await self.disconnect(sid)

    # --- queues ---------------------------------------------------------------------------

    async def _may_see_queue(self, uow: CareUnitOfWork, agent: Agent, queue: str) -> None:
        if await uow.queues.get(queue) is None:
            raise UnknownQueue(f"There is no queue called {queue!r}.", details={"queue": queue})
        if not agent.supervises and queue not in await uow.agents.memberships(agent.id):
            raise Forbidden(f"You are not a member of the {queue!r} queue.")

    @event("queue:watch", QueueWatchIn)
    async def watch(self, sid: str, session: dict[str, Any], data: QueueWatchIn) -> Ack:
        agent: Agent = session["agent"]
        names = list(dict.fromkeys(data.queues))
        waiting = []
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            for name in names:
                await self._may_see_queue(uow, agent, name)
            for name in names:
                waiting.extend(await views.waiting_requests(uow, name))
        await views.with_customers(self.deps.directory, *waiting)
        for old in session["watching"]:
            if old not in names:
                await self.leave_room(sid, queue_room(old))
        for name in names:
            await self.enter_room(sid, queue_room(name))
        session["watching"] = names
        return {"ok": True, "waiting": [r.model_dump(mode="json") for r in waiting]}

    @event("request:accept", ConversationRefIn)
    async def accept(self, sid: str, session: dict[str, Any], data: ConversationRefIn) -> Ack:
        agent: Agent = session["agent"]
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            conv = await uow.conversations.get(data.conversation_id)
            if conv is None:
                raise NotFound("No such conversation.")
            await self._may_see_queue(uow, agent, conv.queue)
        accepted = await self.deps.runner.run(
            routing.accept_request, self.deps.clock, agent, data.conversation_id
        )
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            view = await views.agent_conversation(uow, accepted.conversation, agent.id)
            private = await uow.messages.after(
                f"{accepted.conversation.id}:private", 0, routing.HISTORY_LIMIT
            )
        await views.with_customers(self.deps.directory, view)
        return {
            "ok": True,
            "conversation": view.model_dump(mode="json"),
            "messages": [views.message_payload(m) for m in accepted.messages],
            "private_messages": [views.message_payload(m) for m in private],
        }

    @event("request:requeue", RequeueIn)
    async def requeue(self, sid: str, session: dict[str, Any], data: RequeueIn) -> Ack:
        await self.deps.runner.run(
            routing.requeue,
            self.deps.clock,
            session["agent"],
            data.conversation_id,
            data.queue,
            data.note,
        )
        return {"ok": True}

    async def _ensure_online(self, agent_id: str) -> None:
        status = (await self.deps.presence.snapshot()).get(agent_id)
        if status is None:
            raise AgentUnavailable("That colleague is offline.")

    @event("request:transfer", TransferIn)
    async def transfer(self, sid: str, session: dict[str, Any], data: TransferIn) -> Ack:
        await self._ensure_online(data.agent_id)
        await self.deps.runner.run(
            routing.transfer,
            self.deps.clock,
            session["agent"],
            data.conversation_id,
            data.agent_id,
            data.note,
        )
        return {"ok": True}

    @event("consult:invite", ConsultInviteIn)
    async def consult(self, sid: str, session: dict[str, Any], data: ConsultInviteIn) -> Ack:
        await self._ensure_online(data.agent_id)
        await self.deps.runner.run(
            routing.invite_consult,
            self.deps.clock,
            session["agent"],
            data.conversation_id,
            data.agent_id,
            data.note,
        )
        return {"ok": True}

    @event("consult:leave", ConversationRefIn)
    async def leave_consult(
        self, sid: str, session: dict[str, Any], data: ConversationRefIn
    ) -> Ack:
        await self.deps.runner.run(
            routing.leave_consult, self.deps.clock, session["agent"], data.conversation_id
        )
        return {"ok": True}

    @event("chat:close", ConversationRefIn)
    async def close(self, sid: str, session: dict[str, Any], data: ConversationRefIn) -> Ack:
        await self.deps.runner.run(
            routing.close_by_agent, self.deps.clock, session["agent"], data.conversation_id
        )
        return {"ok": True}

    # --- chat -----------------------------------------------------------------------------

    @event("chat:send", ChatSendIn)
    async def send(self, sid: str, session: dict[str, Any], data: ChatSendIn) -> Ack:
        agent: Agent = session["agent"]
        if data.text.lstrip().startswith("/"):
            return await self._command(agent, data)
        message = await self.deps.messages.send_agent(
            agent=agent,
            conversation_id=data.conversation_id,
            thread=ThreadKind(data.thread),
            client_id=data.client_id,
            text=data.text,
            max_chars=self.deps.limits.max_message_chars,
        )
        return {"ok": True, "message": views.message_payload(message)}

    async def _command(self, agent: Agent, data: ChatSendIn) -> Ack:
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            conv = await messaging.conversation_for_agent(uow, agent, data.conversation_id)
        if not conv.is_open():
            raise InvalidState("This conversation is closed.")
        try:
            result = await self.commands.run(
                data.text.strip(), CommandContext(agent, conv.id, conv.customer_id)
            )
        except CommandError as exc:
            raise BadCommand(exc.message) from None
        command, answer = await self.deps.runner.run(
            messaging.post_command_result,
            self.deps.clock,
            agent=agent,
            conversation_id=conv.id,
            command_text=data.text.strip()[: self.deps.limits.max_message_chars],
            text=result.text,
            card=result.card,
            customer_text=result.customer_text,
            client_id=data.client_id,
        )
        return {
            "ok": True,
            "message": views.message_payload(command),
            "result": views.message_payload(answer) if answer else None,
        }

    @event("chat:sync", ChatSyncIn)
    async def sync(self, sid: str, session: dict[str, Any], data: ChatSyncIn) -> Ack:
        page = await self.deps.runner.run(
            messaging.sync_for_agent,
            agent=session["agent"],
            conversation_id=data.conversation_id,
            thread=ThreadKind(data.thread),
            after_seq=data.after_seq,
        )
        return {
            "ok": True,
            "messages": [views.message_payload(m) for m in page.messages],
            "has_more": page.has_more,
        }

    @event("chat:typing", TypingIn)
    async def typing(self, sid: str, session: dict[str, Any], data: TypingIn) -> Ack:
        agent: Agent = session["agent"]
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            conv = await uow.conversations.get(data.conversation_id)
        if conv is None or not conv.involves(agent.id):
            raise NotFound("No such conversation.")
        if not conv.is_open():
            raise InvalidState("This conversation is closed.")
        colleagues = [a for a in audience(conv) if a != agent.id]
        if conv.assignee_id == agent.id:
            # The shopper sees that their CSR is typing; a consulted colleague stays invisible.
            shopper = TypingEvent(conversation_id=conv.id, typing=data.typing, name=agent.name)
            await self.server.emit(
                "chat:typing",
                shopper.model_dump(mode="json"),
                to=visitor_room(conv.visitor_id),
                namespace=CUSTOMER_NS,
            )
        if colleagues:
            event_ = TypingEvent(conversation_id=conv.id, typing=data.typing, name=agent.name)
            await self.emit(
                "chat:typing",
                event_.model_dump(mode="json"),
                to=[agent_room(a) for a in colleagues],
            )
        return {"ok": True}

    @event("chat:read", ReadIn)
    async def read(self, sid: str, session: dict[str, Any], data: ReadIn) -> Ack:
        await self.deps.runner.run(
            messaging.mark_read, agent=session["agent"], thread_id=data.thread_id, seq=data.seq
        )
        return {"ok": True}

    # --- colleagues ----------------------------------------------------------------------

    @event("direct:send", DirectSendIn)
    async def direct_send(self, sid: str, session: dict[str, Any], data: DirectSendIn) -> Ack:
        message = await self.deps.runner.run(
            messaging.send_direct_message,
            self.deps.clock,
            sender=session["agent"],
            to_agent_id=data.to_agent_id,
            client_id=data.client_id,
            text=data.text,
            max_chars=self.deps.limits.max_message_chars,
        )
        return {"ok": True, "message": views.message_payload(message)}

    @event("direct:sync", DirectSyncIn)
    async def direct_sync(self, sid: str, session: dict[str, Any], data: DirectSyncIn) -> Ack:
        page = await self.deps.runner.run(
            messaging.sync_direct,
            agent=session["agent"],
            other_agent_id=data.agent_id,
            after_seq=data.after_seq,
        )
        return {
            "ok": True,
            "messages": [views.message_payload(m) for m in page.messages],
            "has_more": page.has_more,
        }

    @event("agent:status", AgentStatusIn)
    async def status(self, sid: str, session: dict[str, Any], data: AgentStatusIn) -> Ack:
        agent: Agent = session["agent"]
        await self.deps.presence.set_status(agent.id, AgentStatus(data.status))
        self.deps.dispatcher.presence_changed()
        await self._availability_changed(agent)
        return {"ok": True}

    async def _availability_changed(self, agent: Agent) -> None:
        """Who is available changes the wait estimates of the CSR's queues."""
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            queues = await uow.agents.memberships(agent.id)
        for queue in queues:
            await self.deps.dispatcher.queue_changed(queue)

    @event("agents:list")
    async def agents_list(self, sid: str, session: dict[str, Any], data: None) -> Ack:
        online = await self.deps.presence.snapshot()
        async with CareUnitOfWork(self.deps.runner.engine) as uow:
            presence = await views.presence_event(uow, online)
        return {"ok": True, **presence.model_dump(mode="json")}


class BadCommand(CareError):
    code = "bad_command"
