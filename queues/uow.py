"""The care side's unit of work: one database transaction, its repositories, and the notices to
send once it has committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chat.repository import MessageRepository, VisitorRepository
from queues.notices import Notice
from queues.repository import AgentRepository, ConversationRepository, QueueRepository


class CareUnitOfWork:
    agents: AgentRepository
    queues: QueueRepository
    conversations: ConversationRepository
    visitors: VisitorRepository
    messages: MessageRepository

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self.notices: list[Notice] = []
        self.committed = False

    async def __aenter__(self) -> CareUnitOfWork:
        self._conn = await self._engine.connect()
        await self._conn.begin()
        self.agents = AgentRepository(self._conn)
        self.queues = QueueRepository(self._conn)
        self.conversations = ConversationRepository(self._conn)
        self.visitors = VisitorRepository(self._conn)
        self.messages = MessageRepository(self._conn)
        self.notices = []
        self.committed = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._conn is not None
        try:
            if not self.committed:
                await self._conn.rollback()
        finally:
            await self._conn.close()
            self._conn = None

    async def commit(self) -> None:
        assert self._conn is not None
        await self._conn.commit()
        self.committed = True

    def notify(self, *notices: Notice) -> None:
        self.notices.extend(notices)

    @property
    def connection(self) -> AsyncConnection:
        assert self._conn is not None
        return self._conn
