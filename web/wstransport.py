"""Engine.IO's websocket transport, writing each frame straight to the connection.

python-engineio gives every websocket a writer task: a packet sent to a client is put on the
socket's queue, the task wakes (``asyncio.wait_for`` around the queue, so a timer per wake-up),
takes it and writes it; every frame received makes a task of its own as well. A chat message
goes out as three frames, and under load that machinery was a large share of the event loop's
time (docs/performance.md). Here a packet is written to the connection in the call that sends it:
the same frames, in the same order, without the task hops.

What stays as the library does it: the Engine.IO handshake and the polling-to-websocket
upgrade, ping timeouts (checked on every send), closing, and every packet the library sends
by itself (pings, the close packet), since they go through the socket's ``send`` like any other.
A client that reads slowly makes its connection's buffer grow, as the library's queue would,
without slowing anybody else's messages down.

Frames sent to one connection during a turn of the event loop go out in one write, early in the
next turn: a write to a TCP socket is a system call that, on the loopback and in most virtual
machines, costs far more than the bytes it carries, and a chat message's sender is sent two
frames at once (its own copy of the message and the acknowledgement), a CSR several when
their conversations are busy.
"""

from __future__ import annotations

import asyncio
import struct
from typing import Any

from aiohttp import WSMsgType, web
from engineio import exceptions, packet

_TEXT = 0x81  # FIN + text frame
_BINARY = 0x82  # FIN + binary frame


def frame(data: str | bytes) -> bytes:
    """One unmasked websocket frame (server to client) carrying ``data`` whole."""
    if isinstance(data, str):
        payload, first = data.encode(), _TEXT
    else:
        payload, first = data, _BINARY
    size = len(payload)
    if size < 126:
        header = bytes((first, size))
    elif size < 1 << 16:
        header = struct.pack("!BBH", first, 126, size)
    else:
        header = struct.pack("!BBQ", first, 127, size)
    return header + payload


class DirectWebSocket:
    """Engine.IO's websocket transport for one socket (``engineio.async_socket.AsyncSocket``),
    run in place of the socket's own ``_websocket_handler``."""

    def __init__(self, socket: Any, ws: web.WebSocketResponse, transport: asyncio.Transport):
        self.socket = socket
        self.ws = ws
        self.transport = transport
        self._closing: asyncio.Future[bool] | None = None
        self._frames: list[bytes] = []  # written at the start of the next turn of the loop
        self._loop = asyncio.get_running_loop()

    async def send(self, pkt: packet.Packet) -> None:
        """Write ``pkt`` now: what the socket's queue and writer task did, in one call."""
        if not await self.socket.check_ping_timeout():
            return
        self.write(pkt)
        if pkt.packet_type == packet.CLOSE:
            # The server let the client go (a disconnect, a ping timeout): end the connection
            # too, as the library's writer does, rather than wait for the client to end it.
            # aiohttp writes its close frame straight to the connection: ours goes first.
            self.flush()
            self._closing = asyncio.ensure_future(self.ws.close())

    def write(self, pkt: packet.Packet) -> None:
        """Queue ``pkt``'s frame; the frames of this turn are written together by :meth:`flush`
        early in the next one."""
        if self.transport.is_closing():
            return
        if not self._frames:
            self._loop.call_soon(self.flush)
        self._frames.append(frame(pkt.encode()))

    def flush(self) -> None:
        """Write the frames waiting, in order, in one write."""
        frames, self._frames = self._frames, []
        if frames and not self.transport.is_closing():
            self.transport.write(frames[0] if len(frames) == 1 else b"".join(frames))

    async def run(self) -> None:
        socket, server = self.socket, self.socket.server
        if socket.connected and not await self._upgrade():
            return
        socket.connected = True
        socket.upgraded = True
        self._flush_queue()
        # From here on every packet sent to this socket, by the library or by Careline, is
        # written at once: the socket class is fixed inside python-engineio, so its ``send`` is
        # replaced on this one instance.
        socket.send = self.send
        try:
            await self._receive_loop()
        finally:
            self.flush()
            await self.ws.close()
            await socket.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)

    async def _upgrade(self) -> bool:
        """The polling-to-websocket upgrade, as the library does it: a ``probe`` ping answered,
        the pending poll ended, then the client's UPGRADE packet."""
        socket = self.socket
        socket.upgrading = True  # packets sent meanwhile wait in the queue
        try:
            probe = await self._next_packet()
            if probe is None or probe.packet_type != packet.PING or probe.data != "probe":
                return False
            self.write(packet.Packet(packet.PONG, data="probe"))
            await socket.queue.put(packet.Packet(packet.NOOP))  # ends the pending poll
            upgrade = await self._next_packet()
            return upgrade is not None and upgrade.packet_type == packet.UPGRADE
        finally:
            socket.upgrading = False

    def _flush_queue(self) -> None:
        """Write what was sent before the websocket took over (the OPEN packet, or what waited
        during the upgrade), in order."""
        queue = self.socket.queue
        while not queue.empty():
            pkt = queue.get_nowait()
            queue.task_done()
            if pkt is not None:
                self.write(pkt)

    async def _next_packet(self) -> packet.Packet | None:
        """The next Engine.IO packet from the client; None once the connection is over (closed,
        broken, silent past the ping timeout, or a frame over the size limit)."""
        server = self.socket.server
        try:
            msg = await self.ws.receive(timeout=server.ping_interval + server.ping_timeout)
        except (TimeoutError, RuntimeError):
            return None
        if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
            return None
        if len(msg.data) > server.max_http_buffer_size:
            return None
        return packet.Packet(encoded_packet=msg.data)

    async def _receive_loop(self) -> None:
        socket = self.socket
        while (pkt := await self._next_packet()) is not None:
            try:
                await socket.receive(pkt)
            except exceptions.UnknownPacketError:
                pass
            except exceptions.SocketIsClosedError:
                break
            except Exception:
                socket.server.logger.exception("Unknown receive error")
