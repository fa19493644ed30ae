"""Runs a care use case in its own unit of work, then hands its notices to the transport."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from queues.notices import Notice
from queues.uow import CareUnitOfWork

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class Dispatcher(Protocol):
    async def dispatch(self, notices: Sequence[Notice]) -> None: ...

    @property
    def needs_task(self) -> bool:
        """True when :meth:`dispatch` must run inside an asyncio task (it may use
        ``asyncio.timeout``, as the Redis client does); False lets a caller start it in a
        callback of the loop (``chat.eager``)."""
        ...


class NullDispatcher:
    """Drops notices: for the command line, where nobody listens."""

    needs_task = False

    async def dispatch(self, notices: Sequence[Notice]) -> None:
        return None


class CareRunner:
    def __init__(self, engine: AsyncEngine, dispatcher: Dispatcher | None = None) -> None:
        self.engine = engine
        self.dispatcher: Dispatcher = dispatcher or NullDispatcher()

    async def run(
        self,
        use_case: Callable[Concatenate[CareUnitOfWork, P], Awaitable[R]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        async with CareUnitOfWork(self.engine) as uow:
            result = await use_case(uow, *args, **kwargs)
        # Outside the transaction: the connection is back in the pool, the change is durable.
        if uow.committed and uow.notices:
            await self.dispatcher.dispatch(uow.notices)
        return result
