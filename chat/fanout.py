"""Socket.IO fan-out: events written to their rooms in the call that emits them, and across
processes through Redis, quick to heal after a Redis restart.

python-socketio's manager sends an event to a room by starting a task per recipient and
waiting for all of them (``asyncio.wait``): every emit then takes two turns of the event loop
before it returns, and a chat message is emitted twice (the shopper's room, the CSRs' rooms)
before its sender is acknowledged. Under load a turn of the loop is long, so those turns, not
the work, made most of a message's round trip (docs/performance.md). :class:`DirectEmitManager`
sends to each recipient in turn instead: a packet sent to a connection is written or queued
without waiting for anything (``web/wstransport.py``; the polling transport's queue is
unbounded), so nothing is gained by the tasks.

python-socketio's Redis manager backs off up to a minute between reconnection attempts, and
events published while Redis was away are gone. Here the listener retries every half second,
and once it is back it tells this process's own clients to resynchronise (``resync``): every
message was stored before it was announced, so a client that asks ``chat:sync`` misses nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import socketio
import socketio.packet
from engineio import packet as engineio_packet

logger = logging.getLogger(__name__)

RETRY_SECONDS = 0.5
RESYNC_EVENT = "resync"


class DirectEmitManager(socketio.AsyncManager):  # type: ignore[misc]
    """The in-process manager, emitting without a task per recipient."""

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: str | list[str] | None = None,
        skip_sid: str | list[str] | None = None,
        callback: Any = None,
        to: str | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        if callback is not None or namespace not in self.rooms:
            # An event with an acknowledgement wanted carries one id per recipient: the
            # library's way (Careline's server never asks its clients for one).
            await super().emit(event, data, namespace, room, skip_sid, callback, to, **kwargs)
            return
        if isinstance(data, tuple):
            data = list(data)
        elif data is not None:
            data = [data]
        else:
            data = []
        skip = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        # Encoded once for every recipient, as the library does when no callback is wanted.
        encoded = self.server.packet_class(
            socketio.packet.EVENT, namespace=namespace, data=[event, *data]
        ).encode()
        eio_packets = [
            engineio_packet.Packet(engineio_packet.MESSAGE, part)
            for part in (encoded if isinstance(encoded, list) else [encoded])
        ]
        for sid, eio_sid in list(self.get_participants(namespace, to or room)):
            if sid in skip:
                continue
            for eio_pkt in eio_packets:
                try:
                    await self.server._send_eio_packet(eio_sid, eio_pkt)
                except Exception:
                    # One broken connection must not keep the event from the others.
                    logger.exception("could not send %s to %s", event, sid)


class HealingRedisManager(socketio.AsyncRedisManager, DirectEmitManager):  # type: ignore[misc]
    """Through Redis to every process; each process then emits to its own clients as
    :class:`DirectEmitManager` does."""

    def __init__(self, url: str, channel: str, namespaces: tuple[str, ...]) -> None:
        super().__init__(url, channel=channel)
        self._namespaces = namespaces

    async def _redis_listen_with_retries(self) -> AsyncIterator[Any]:  # pragma: no cover - I/O
        subscribed = False
        lost = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    subscribed = True
                    if lost:
                        lost = False
                        await self._tell_clients_to_resync()
                async for message in self.pubsub.listen():
                    yield message
            except Exception as exc:
                if not lost:
                    logger.warning("fan-out: lost Redis (%s); retrying", exc)
                subscribed = False
                lost = True
                await asyncio.sleep(RETRY_SECONDS)

    async def _tell_clients_to_resync(self) -> None:
        logger.info("fan-out: Redis is back; asking local clients to resynchronise")
        for namespace in self._namespaces:
            await self.server.emit(RESYNC_EVENT, {}, namespace=namespace, ignore_queue=True)
