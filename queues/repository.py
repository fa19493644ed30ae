"""Persistence of CSR accounts, queues and conversation routing (SQLAlchemy Core)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from chat.tables import conversations
from queues.domain import Agent, Conversation, Queue, Role, Status
from queues.tables import (
    agent_sessions,
    agents,
    consults,
    conversation_events,
    queue_members,
    queues,
)


def _agent(row: RowMapping) -> Agent:
    return Agent(
        id=row["id"],
        username=row["username"],
        name=row["name"],
        role=Role(row["role"]),
        max_chats=row["max_chats"],
        disabled=row["disabled"],
    )


def _conversation(row: RowMapping, consultant_ids: list[str] | None = None) -> Conversation:
    return Conversation(
        id=row["id"],
        visitor_id=row["visitor_id"],
        status=Status(row["status"]),
        queue=row["queue"],
        waiting_since=row["waiting_since"],
        created_at=row["created_at"],
        version=row["version"],
        customer_id=row["customer_id"],
        topic=row["topic"],
        name=row["name"],
        email=row["email"],
        assignee_id=row["assignee_id"],
        priority=row["priority"],
        accepted_at=row["accepted_at"],
        closed_at=row["closed_at"],
        closed_by=row["closed_by"],
        requeued_from=row["requeued_from"],
        requeue_note=row["requeue_note"],
        consultant_ids=consultant_ids or [],
    )


class AgentRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, agent_id: str) -> Agent | None:
        row = (await self._conn.execute(select(agents).where(agents.c.id == agent_id))).first()
        return _agent(row._mapping) if row else None

    async def get_many(self, agent_ids: Sequence[str]) -> dict[str, Agent]:
        if not agent_ids:
            return {}
        rows = await self._conn.execute(select(agents).where(agents.c.id.in_(set(agent_ids))))
        return {r.id: _agent(r._mapping) for r in rows}

    async def lock(self, agent_id: str) -> None:
        """Serialise capacity checks of one CSR across processes (a row lock on PostgreSQL;
        SQLite serialises writers anyway)."""
        await self._conn.execute(
            select(agents.c.id).where(agents.c.id == agent_id).with_for_update()
        )

    async def by_username(self, username: str) -> tuple[Agent, str] | None:
        row = (
            await self._conn.execute(select(agents).where(agents.c.username == username))
        ).first()
        return (_agent(row._mapping), row.password_hash) if row else None

    async def all(self) -> list[Agent]:
        rows = await self._conn.execute(select(agents).order_by(agents.c.name))
        return [_agent(r._mapping) for r in rows]

    async def add(self, agent: Agent, password_hash: str, now: datetime) -> None:
        await self._conn.execute(
            insert(agents).values(
                id=agent.id,
                username=agent.username,
                name=agent.name,
                password_hash=password_hash,
                role=agent.role.value,
                max_chats=agent.max_chats,
                disabled=agent.disabled,
                created_at=now,
            )
        )

    async def set_disabled(self, agent_id: str, disabled: bool) -> None:
        await self._conn.execute(
            update(agents).where(agents.c.id == agent_id).values(disabled=disabled)
        )

    async def set_password(self, agent_id: str, password_hash: str) -> None:
        await self._conn.execute(
            update(agents).where(agents.c.id == agent_id).values(password_hash=password_hash)
        )

    async def memberships(self, agent_id: str) -> list[str]:
        rows = await self._conn.execute(
            select(queue_members.c.queue).where(queue_members.c.agent_id == agent_id)
        )
        return [r.queue for r in rows]

    async def set_memberships(self, agent_id: str, queue_names: Sequence[str]) -> None:
        await self._conn.execute(delete(queue_members).where(queue_members.c.agent_id == agent_id))
        if queue_names:
            await self._conn.execute(
                insert(queue_members), [{"queue": q, "agent_id": agent_id} for q in queue_names]
            )

    async def members_of(self, queue_name: str) -> list[str]:
        rows = await self._conn.execute(
            select(queue_members.c.agent_id).where(queue_members.c.queue == queue_name)
        )
        return [r.agent_id for r in rows]

    # Sessions (logins) -------------------------------------------------------------------

    async def add_session(
        self, session_id: str, agent_id: str, now: datetime, expires_at: datetime
    ) -> None:
        await self._conn.execute(
            insert(agent_sessions).values(
                id=session_id, agent_id=agent_id, created_at=now, expires_at=expires_at
            )
        )

    async def session_is_live(self, session_id: str, agent_id: str, now: datetime) -> bool:
        row = (
            await self._conn.execute(
                select(agent_sessions.c.id).where(
                    agent_sessions.c.id == session_id,
                    agent_sessions.c.agent_id == agent_id,
                    agent_sessions.c.revoked_at.is_(None),
                    agent_sessions.c.expires_at > now,
                )
            )
        ).first()
        return row is not None

    async def revoke_session(self, session_id: str, now: datetime) -> None:
        await self._conn.execute(
            update(agent_sessions)
            .where(agent_sessions.c.id == session_id, agent_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_all_sessions(self, agent_id: str, now: datetime) -> None:
        await self._conn.execute(
            update(agent_sessions)
            .where(agent_sessions.c.agent_id == agent_id, agent_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )


class QueueRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def all(self) -> list[Queue]:
        rows = await self._conn.execute(select(queues).order_by(queues.c.sort_order, queues.c.name))
        return [Queue(name=r.name, title=r.title, description=r.description) for r in rows]

    async def get(self, name: str) -> Queue | None:
        row = (await self._conn.execute(select(queues).where(queues.c.name == name))).first()
        return Queue(name=row.name, title=row.title, description=row.description) if row else None

    async def add(self, queue: Queue, sort_order: int = 0) -> None:
        await self._conn.execute(
            insert(queues).values(
                name=queue.name,
                title=queue.title,
                description=queue.description,
                sort_order=sort_order,
            )
        )


class ConversationRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, conversation_id: str) -> Conversation | None:
        row = (
            await self._conn.execute(
                select(conversations).where(conversations.c.id == conversation_id)
            )
        ).first()
        if row is None:
            return None
        return _conversation(row._mapping, await self.consultants(conversation_id))

    async def consultants(self, conversation_id: str) -> list[str]:
        rows = await self._conn.execute(
            select(consults.c.agent_id)
            .where(consults.c.conversation_id == conversation_id)
            .order_by(consults.c.created_at)
        )
        return [r.agent_id for r in rows]

    async def open_for_visitor(self, visitor_id: str) -> Conversation | None:
        row = (
            await self._conn.execute(
                select(conversations)
                .where(
                    conversations.c.visitor_id == visitor_id,
                    conversations.c.status != Status.CLOSED.value,
                )
                .order_by(conversations.c.created_at.desc())
                .limit(1)
            )
        ).first()
        return _conversation(row._mapping, await self.consultants(row.id)) if row else None

    async def latest_for_visitor(self, visitor_id: str) -> Conversation | None:
        row = (
            await self._conn.execute(
                select(conversations)
                .where(conversations.c.visitor_id == visitor_id)
                .order_by(conversations.c.created_at.desc())
                .limit(1)
            )
        ).first()
        return _conversation(row._mapping) if row else None

    async def waiting(self, queue_name: str) -> list[Conversation]:
        rows = await self._conn.execute(
            select(conversations)
            .where(
                conversations.c.status == Status.WAITING.value,
                conversations.c.queue == queue_name,
            )
            .order_by(
                conversations.c.priority.desc(),
                conversations.c.waiting_since,
                conversations.c.id,
            )
        )
        return [_conversation(r._mapping) for r in rows]

    async def open_for_agent(self, agent_id: str) -> list[Conversation]:
        """Active conversations the CSR has, and open ones they are consulted on."""
        consulted = select(consults.c.conversation_id).where(consults.c.agent_id == agent_id)
        rows = await self._conn.execute(
            select(conversations)
            .where(
                conversations.c.status != Status.CLOSED.value,
                or_(
                    and_(
                        conversations.c.assignee_id == agent_id,
                        conversations.c.status == Status.ACTIVE.value,
                    ),
                    conversations.c.id.in_(consulted),
                ),
            )
            .order_by(conversations.c.accepted_at, conversations.c.id)
        )
        found = [_conversation(r._mapping) for r in rows]
        for conv in found:
            conv.consultant_ids = await self.consultants(conv.id)
        return found

    async def load_of(self, agent_id: str) -> int:
        """How many conversations the CSR has open as assignee."""
        count = await self._conn.scalar(
            select(func.count())
            .select_from(conversations)
            .where(
                conversations.c.assignee_id == agent_id,
                conversations.c.status == Status.ACTIVE.value,
            )
        )
        return int(count or 0)

    async def loads(self) -> dict[str, int]:
        rows = await self._conn.execute(
            select(conversations.c.assignee_id, func.count())
            .where(conversations.c.status == Status.ACTIVE.value)
            .group_by(conversations.c.assignee_id)
        )
        return {r[0]: int(r[1]) for r in rows if r[0] is not None}

    async def assignees_with_open_chats(self) -> list[str]:
        rows = await self._conn.execute(
            select(conversations.c.assignee_id)
            .where(conversations.c.status == Status.ACTIVE.value)
            .distinct()
        )
        return [r[0] for r in rows if r[0] is not None]

    async def active_for_assignee(self, agent_id: str) -> list[Conversation]:
        rows = await self._conn.execute(
            select(conversations).where(
                conversations.c.assignee_id == agent_id,
                conversations.c.status == Status.ACTIVE.value,
            )
        )
        return [_conversation(r._mapping) for r in rows]

    async def add(self, conv: Conversation) -> None:
        await self._conn.execute(
            insert(conversations).values(
                id=conv.id,
                visitor_id=conv.visitor_id,
                customer_id=conv.customer_id,
                status=conv.status.value,
                queue=conv.queue,
                topic=conv.topic,
                name=conv.name,
                email=conv.email,
                assignee_id=conv.assignee_id,
                priority=conv.priority,
                waiting_since=conv.waiting_since,
                created_at=conv.created_at,
                version=conv.version,
            )
        )

    async def compare_and_set(self, conv: Conversation, expected_version: int) -> bool:
        """Write the routing state of ``conv`` only if nobody changed it since ``expected_version``.

        This conditional update is what decides a race between CSRs on different processes: the
        database lets exactly one writer match the old version.
        """
        values: dict[str, Any] = {
            "status": conv.status.value,
            "queue": conv.queue,
            "assignee_id": conv.assignee_id,
            "priority": conv.priority,
            "waiting_since": conv.waiting_since,
            "accepted_at": conv.accepted_at,
            "closed_at": conv.closed_at,
            "closed_by": conv.closed_by,
            "requeued_from": conv.requeued_from,
            "requeue_note": conv.requeue_note,
            "name": conv.name,
            "email": conv.email,
            "version": expected_version + 1,
        }
        result = await self._conn.execute(
            update(conversations)
            .where(conversations.c.id == conv.id, conversations.c.version == expected_version)
            .values(**values)
        )
        if result.rowcount == 1:
            conv.version = expected_version + 1
            return True
        return False

    async def link_customer(self, conversation_id: str, customer_id: str) -> None:
        await self._conn.execute(
            update(conversations)
            .where(conversations.c.id == conversation_id, conversations.c.customer_id.is_(None))
            .values(customer_id=customer_id)
        )

    async def add_consultant(
        self, conversation_id: str, agent_id: str, invited_by: str, now: datetime
    ) -> None:
        await self._conn.execute(
            insert(consults).values(
                conversation_id=conversation_id,
                agent_id=agent_id,
                invited_by=invited_by,
                created_at=now,
            )
        )

    async def clear_consultants(self, conversation_id: str) -> None:
        await self._conn.execute(
            delete(consults).where(consults.c.conversation_id == conversation_id)
        )

    async def remove_consultant(self, conversation_id: str, agent_id: str) -> None:
        await self._conn.execute(
            delete(consults).where(
                consults.c.conversation_id == conversation_id, consults.c.agent_id == agent_id
            )
        )

    async def record_event(
        self,
        conversation_id: str,
        kind: str,
        now: datetime,
        *,
        actor_kind: str,
        actor_id: str | None = None,
        from_queue: str | None = None,
        to_queue: str | None = None,
        from_agent_id: str | None = None,
        to_agent_id: str | None = None,
        note: str | None = None,
    ) -> None:
        await self._conn.execute(
            insert(conversation_events).values(
                conversation_id=conversation_id,
                kind=kind,
                actor_kind=actor_kind,
                actor_id=actor_id,
                from_queue=from_queue,
                to_queue=to_queue,
                from_agent_id=from_agent_id,
                to_agent_id=to_agent_id,
                note=note,
                created_at=now,
            )
        )

    async def history(self, conversation_id: str) -> list[dict[str, Any]]:
        rows = await self._conn.execute(
            select(conversation_events)
            .where(conversation_events.c.conversation_id == conversation_id)
            .order_by(conversation_events.c.id)
        )
        return [dict(r._mapping) for r in rows]

    async def recent_handle_seconds(self, queue_name: str, limit: int = 20) -> list[float]:
        rows = await self._conn.execute(
            select(conversations.c.accepted_at, conversations.c.closed_at)
            .where(
                conversations.c.queue == queue_name,
                conversations.c.status == Status.CLOSED.value,
                conversations.c.accepted_at.is_not(None),
            )
            .order_by(conversations.c.closed_at.desc())
            .limit(limit)
        )
        return [(r.closed_at - r.accepted_at).total_seconds() for r in rows]
