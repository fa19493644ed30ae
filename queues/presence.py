"""Who of the CSRs is connected, and whether they are available or away.

Presence may be lost (it is rebuilt within one heartbeat), so it lives in memory or in Redis,
never in the database. Each process knows its own connections and writes them under a key of
its own with a time-to-live; a process that dies simply stops refreshing its key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from queues.domain import AgentStatus

logger = logging.getLogger(__name__)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Presence(Protocol):
    async def connected(self, agent_id: str, connection_id: str) -> bool:
        """Record a connection; True when the CSR was not connected on this process before."""

    async def disconnected(self, agent_id: str, connection_id: str) -> bool:
        """Forget a connection; True when it was the CSR's last one on this process."""

    async def set_status(self, agent_id: str, status: AgentStatus) -> None: ...

    async def snapshot(self) -> dict[str, AgentStatus]:
        """Every connected CSR (on any process) and their status; absent means offline."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class _LocalConnections:
    """This process's own CSR connections and chosen statuses."""

    def __init__(self) -> None:
        self.connections: dict[str, set[str]] = defaultdict(set)
        self.statuses: dict[str, AgentStatus] = {}

    def add(self, agent_id: str, connection_id: str) -> bool:
        first = not self.connections[agent_id]
        self.connections[agent_id].add(connection_id)
        return first

    def remove(self, agent_id: str, connection_id: str) -> bool:
        conns = self.connections.get(agent_id)
        if not conns:
            return False
        conns.discard(connection_id)
        if conns:
            return False
        del self.connections[agent_id]
        return True

    def status_of(self, agent_id: str) -> AgentStatus:
        return self.statuses.get(agent_id, AgentStatus.AVAILABLE)


class MemoryPresence:
    """Presence for a single process."""

    def __init__(self) -> None:
        self._local = _LocalConnections()

    async def connected(self, agent_id: str, connection_id: str) -> bool:
        return self._local.add(agent_id, connection_id)

    async def disconnected(self, agent_id: str, connection_id: str) -> bool:
        return self._local.remove(agent_id, connection_id)

    async def set_status(self, agent_id: str, status: AgentStatus) -> None:
        self._local.statuses[agent_id] = status

    async def snapshot(self) -> dict[str, AgentStatus]:
        return {a: self._local.status_of(a) for a in self._local.connections}

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


class RedisPresence:
    """Presence shared by every process through Redis.

    Keys: ``<prefix>:conns:<process>`` (hash agent → connection count, expires unless refreshed)
    and ``<prefix>:status`` (hash agent → available/away). A heartbeat rewrites both from this
    process's memory, so a Redis restart is healed within one heartbeat.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = "careline:presence",
        heartbeat_seconds: float = 5.0,
        ttl_seconds: float = 15.0,
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._process_key = f"{prefix}:conns:{uuid.uuid4().hex}"
        self._status_key = f"{prefix}:status"
        self._heartbeat = heartbeat_seconds
        self._ttl = int(ttl_seconds)
        self._local = _LocalConnections()
        self._task: asyncio.Task[None] | None = None

    async def connected(self, agent_id: str, connection_id: str) -> bool:
        first = self._local.add(agent_id, connection_id)
        await self._write_agent(agent_id)
        return first

    async def disconnected(self, agent_id: str, connection_id: str) -> bool:
        last = self._local.remove(agent_id, connection_id)
        await self._write_agent(agent_id)
        return last

    async def set_status(self, agent_id: str, status: AgentStatus) -> None:
        self._local.statuses[agent_id] = status
        with contextlib.suppress(RedisError):
            await self._redis.hset(self._status_key, agent_id, status.value)

    async def snapshot(self) -> dict[str, AgentStatus]:
        try:
            return await self._shared_snapshot()
        except RedisError:
            logger.warning("presence: Redis unavailable; showing this process's CSRs only")
            return {a: self._local.status_of(a) for a in self._local.connections}

    async def _shared_snapshot(self) -> dict[str, AgentStatus]:
        online: set[str] = set()
        async for key in self._redis.scan_iter(match=f"{self._prefix}:conns:*", count=100):
            counts = await self._redis.hgetall(key)
            online.update(_text(k) for k, v in counts.items() if int(v) > 0)
        # What this process knows is true even while Redis is catching up after a restart.
        online.update(self._local.connections)
        statuses = {
            _text(k): _text(v) for k, v in (await self._redis.hgetall(self._status_key)).items()
        }
        result: dict[str, AgentStatus] = {}
        for agent_id in online:
            if agent_id in self._local.statuses:
                result[agent_id] = self._local.statuses[agent_id]
            else:
                result[agent_id] = AgentStatus(statuses.get(agent_id, AgentStatus.AVAILABLE.value))
        return result

    async def _write_agent(self, agent_id: str) -> None:
        count = len(self._local.connections.get(agent_id, ()))
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                if count:
                    pipe.hset(self._process_key, agent_id, count)
                else:
                    pipe.hdel(self._process_key, agent_id)
                pipe.expire(self._process_key, self._ttl)
                await pipe.execute()
        except RedisError:
            logger.warning("presence: Redis unavailable; the heartbeat will catch up")

    async def refresh(self) -> None:
        """Rewrite this process's presence from memory (the heartbeat)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._process_key)
            if self._local.connections:
                pipe.hset(
                    self._process_key,
                    mapping={a: len(c) for a, c in self._local.connections.items()},
                )
                pipe.expire(self._process_key, self._ttl)
                statuses: dict[FieldT, EncodableT] = {
                    a: self._local.status_of(a).value for a in self._local.connections
                }
                pipe.hset(self._status_key, mapping=statuses)
            await pipe.execute()

    async def _beat(self) -> None:
        while True:
            try:
                await self.refresh()
            except RedisError:
                logger.warning("presence heartbeat: Redis unavailable")
            await asyncio.sleep(self._heartbeat)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._beat())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(RedisError):
            await self._redis.delete(self._process_key)
