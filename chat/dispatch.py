"""Notices from committed use cases become Socket.IO events.

This runs only after a commit. Payloads are built through the pydantic schemas of
``chat.schemas``; what a shopper is sent is built separately from what a CSR is sent, so the
private thread can never reach the ``/customer`` namespace.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

import socketio
from socketio.async_pubsub_manager import AsyncPubSubManager
from sqlalchemy.ext.asyncio import AsyncEngine

from chat import views
from chat.bus import ControlBus
from chat.domain import ThreadKind
from chat.fanout import DirectEmitManager
from chat.ports import CustomerDirectory
from chat.postings import audience
from chat.rooms import AGENT_NS, AGENTS_ROOM, CUSTOMER_NS, agent_room, queue_room, visitor_room
from chat.schemas import ConversationUpdateEvent, QueueUpdateEvent, VisitorPageEvent
from queues.notices import (
    ConversationChanged,
    MessagePosted,
    Notice,
    PresenceChanged,
    QueueChanged,
    SessionsRevoked,
    VisitorNavigated,
)
from queues.presence import Presence
from queues.uow import CareUnitOfWork

logger = logging.getLogger(__name__)

# Presence changes come in bursts (a CSR's tabs reconnecting): send one update per burst.
PRESENCE_DEBOUNCE_SECONDS = 0.1


class SocketDispatcher:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        engine: AsyncEngine,
        presence: Presence,
        directory: CustomerDirectory,
        bus: ControlBus,
    ) -> None:
        self._sio = sio
        self._engine = engine
        self._presence = presence
        self._directory = directory
        self._bus = bus
        self._presence_task: asyncio.Task[None] | None = None

    @property
    def needs_task(self) -> bool:
        """Emitting through Redis does (its client uses ``asyncio.timeout``); emitting to this
        process's own connections does not."""
        manager = self._sio.manager
        return not isinstance(manager, DirectEmitManager) or isinstance(manager, AsyncPubSubManager)

    async def dispatch(self, notices: Sequence[Notice]) -> None:
        queues_changed: list[str] = []
        for notice in notices:
            try:
                if isinstance(notice, MessagePosted):
                    await self._message(notice)
                elif isinstance(notice, ConversationChanged):
                    await self._conversation(notice)
                elif isinstance(notice, QueueChanged):
                    if notice.queue not in queues_changed:
                        queues_changed.append(notice.queue)
                elif isinstance(notice, PresenceChanged):
                    self.presence_changed()
                elif isinstance(notice, VisitorNavigated):
                    await self._navigated(notice)
                elif isinstance(notice, SessionsRevoked):
                    await self._bus.publish(
                        {
                            "kind": "revoke",
                            "agent_id": notice.agent_id,
                            "session_id": notice.session_id,
                        }
                    )
            except Exception:
                # The change is stored; a client that missed this event catches up on sync.
                logger.exception("could not deliver %s", type(notice).__name__)
        for queue in queues_changed:
            try:
                await self.queue_changed(queue)
            except Exception:
                logger.exception("could not deliver the update of queue %s", queue)

    async def _emit(self, event: str, data: Any, rooms: list[str], namespace: str) -> None:
        if rooms:
            await self._sio.emit(event, data, to=rooms, namespace=namespace)

    async def _message(self, notice: MessagePosted) -> None:
        payload = views.message_payload(notice.message)
        if notice.message.thread is ThreadKind.DIRECT:
            await self._emit(
                "direct:message", payload, [agent_room(a) for a in notice.agent_ids], AGENT_NS
            )
            return
        if notice.visitor_id is not None and notice.message.thread is ThreadKind.PUBLIC:
            await self._emit(
                "chat:message", payload, [visitor_room(notice.visitor_id)], CUSTOMER_NS
            )
        await self._emit(
            "chat:message", payload, [agent_room(a) for a in notice.agent_ids], AGENT_NS
        )

    async def _conversation(self, notice: ConversationChanged) -> None:
        # Read everything in one short transaction, then talk to the commerce side and the
        # network with no database connection held.
        async with CareUnitOfWork(self._engine) as uow:
            conv = await uow.conversations.get(notice.conversation_id)
            if conv is None:
                return
            status = await views.chat_status(uow, conv) if notice.notify_visitor else None
            people = views.dedupe([*notice.agent_ids, *audience(conv)])
            updates = [
                (agent_id, await views.agent_conversation(uow, conv, agent_id))
                for agent_id in people
            ]
        if status is not None:
            await self._emit(
                "chat:status",
                status.model_dump(mode="json"),
                [visitor_room(conv.visitor_id)],
                CUSTOMER_NS,
            )
        await views.with_customers(self._directory, *(view for _, view in updates))
        for agent_id, view in updates:
            event = ConversationUpdateEvent(conversation=view)
            await self._emit(
                "conversation:update",
                event.model_dump(mode="json"),
                [agent_room(agent_id)],
                AGENT_NS,
            )

    async def queue_changed(self, queue: str) -> None:
        online = await self._presence.snapshot()
        async with CareUnitOfWork(self._engine) as uow:
            waiting = await views.waiting_requests(uow, queue)
            positions = await views.queue_positions(uow, queue, online)
        await views.with_customers(self._directory, *waiting)
        update = QueueUpdateEvent(queue=queue, waiting=waiting)
        await self._emit(
            "queue:update", update.model_dump(mode="json"), [queue_room(queue)], AGENT_NS
        )
        for visitor_id, position in positions:
            await self._emit(
                "queue:position",
                position.model_dump(mode="json"),
                [visitor_room(visitor_id)],
                CUSTOMER_NS,
            )

    async def _navigated(self, notice: VisitorNavigated) -> None:
        event = VisitorPageEvent(
            conversation_id=notice.conversation_id, url=notice.url, title=notice.title
        )
        await self._emit(
            "visitor:page",
            event.model_dump(mode="json"),
            [agent_room(a) for a in notice.agent_ids],
            AGENT_NS,
        )

    def presence_changed(self) -> None:
        """Send the CSR list soon, once for a burst of changes."""
        if self._presence_task is None or self._presence_task.done():
            self._presence_task = asyncio.create_task(self._send_presence())

    async def _send_presence(self) -> None:
        await asyncio.sleep(PRESENCE_DEBOUNCE_SECONDS)
        try:
            online = await self._presence.snapshot()
            async with CareUnitOfWork(self._engine) as uow:
                event = await views.presence_event(uow, online)
            await self._emit(
                "agents:presence", event.model_dump(mode="json"), [AGENTS_ROOM], AGENT_NS
            )
        except Exception:
            logger.exception("could not send presence")

    async def aclose(self) -> None:
        if self._presence_task is not None:
            self._presence_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._presence_task
