"""A care side on a real database, for integration tests: runner, recorded notices, CSRs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from chat.domain import Visitor
from queues import accounts
from queues.clock import FakeClock
from queues.domain import Agent, Role
from queues.notices import Notice
from queues.routing import StartRequest, start_conversation
from queues.runner import CareRunner
from queues.uow import CareUnitOfWork


class RecordingDispatcher:
    needs_task = False

    def __init__(self) -> None:
        self.notices: list[Notice] = []

    async def dispatch(self, notices: Sequence[Notice]) -> None:
        self.notices.extend(notices)

    def of(self, kind: type) -> list[Notice]:
        return [n for n in self.notices if isinstance(n, kind)]


@dataclass
class Care:
    engine: AsyncEngine
    runner: CareRunner
    dispatcher: RecordingDispatcher
    clock: FakeClock
    agents: dict[str, Agent] = field(default_factory=dict)

    async def add_agent(
        self,
        username: str,
        queues: Sequence[str] = ("general",),
        role: Role = Role.AGENT,
        max_chats: int = 3,
    ) -> Agent:
        agent = await self.runner.run(
            accounts.create_agent,
            self.clock,
            accounts.NewAgent(
                username=username,
                name=username.title(),
                password="password-123",
                role=role,
                max_chats=max_chats,
                queues=queues,
            ),
            "not-a-real-hash",
        )
        self.agents[username] = agent
        return agent

    async def add_visitor(self, visitor_id: str, customer_id: str | None = None) -> str:
        async with CareUnitOfWork(self.engine) as uow:
            now = self.clock.now()
            await uow.visitors.add(
                Visitor(id=visitor_id, created_at=now, last_seen_at=now, customer_id=customer_id)
            )
            await uow.commit()
        return visitor_id

    async def start(self, visitor_id: str, queue: str = "general", text: str | None = None) -> str:
        await self.add_visitor(visitor_id)
        conv = await self.runner.run(
            start_conversation,
            self.clock,
            StartRequest(
                visitor_id=visitor_id,
                customer_id=None,
                queue=queue,
                topic="Help",
                name=visitor_id.title(),
                email=None,
                text=text,
            ),
        )
        return conv.id


async def make_care(engine: AsyncEngine) -> Care:
    dispatcher = RecordingDispatcher()
    return Care(engine, CareRunner(engine, dispatcher), dispatcher, FakeClock())
