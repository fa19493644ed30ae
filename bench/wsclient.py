"""A lean Socket.IO v5 client for load generation: Engine.IO v4 over a raw websocket.

One ``asyncio.Protocol`` per connection, no task per connection and no task per frame: frames
are parsed in ``data_received`` and handed to a callback that may answer at once. That keeps
the load generator's cost per message well below a server's, so the generator (which shares
the machine's two cores with the server under test) measures the server and not itself; and
5,000 idle connections cost it a few megabytes. The same client drives both servers.

It speaks only what the benchmark needs: the websocket transport from the first request (no
long-polling upgrade), text frames, events with acknowledgements, Engine.IO pings. Like a
browser, it offers ``permessage-deflate``; the server decides whether to use it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import zlib
from collections.abc import Callable
from typing import Any

PacketHandler = Callable[["SioClient", str], None]

_MASK = b"\x00\x00\x00\x00"


class HandshakeError(Exception):
    """The server refused the websocket upgrade or the namespace connection."""


def _frame(payload: bytes) -> bytes:
    """A final, masked text frame. The mask key is zero, so masking leaves the payload as it is:
    a client must mask, any key is valid, and on loopback no proxy can be confused by it."""
    n = len(payload)
    if n < 126:
        head = bytes((0x81, 0x80 | n))
    elif n < 65536:
        head = bytes((0x81, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x81, 0x80 | 127)) + n.to_bytes(8, "big")
    return head + _MASK + payload


class SioClient(asyncio.Protocol):
    """One Socket.IO connection to one namespace.

    ``on_packet``, when set, receives every event (the JSON array as text, ``["name", ...]``)
    straight from ``data_received``; an acknowledgement nobody awaits only has its errors
    counted. Without it, events are kept in ``inbox`` by name for ``wait_event``.
    """

    def __init__(
        self,
        host: str,
        port: int,
        namespace: str,
        auth: dict[str, Any],
        *,
        offer_deflate: bool = True,
    ) -> None:
        loop = asyncio.get_running_loop()
        self.host = host
        self.port = port
        self.namespace = namespace
        self.auth = auth
        self.offer_deflate = offer_deflate
        self._prefix = "" if namespace == "/" else namespace + ","
        self.transport: asyncio.Transport | None = None
        self._buf = bytearray()
        self._upgraded = False
        self._inflate: Any = None
        self.deflate = False
        self.ready: asyncio.Future[Any] = loop.create_future()
        self.gone: asyncio.Future[None] = loop.create_future()
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._next_id = 0
        self._waiters: dict[str, asyncio.Future[Any]] = {}
        self.inbox: dict[str, Any] = {}
        self.on_packet: PacketHandler | None = None
        self.ack_errors = 0
        self.last_error = ""

    # --- asyncio.Protocol -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
        if self.offer_deflate:
            lines.append("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(HandshakeError(f"connection closed: {exc}"))
        if not self.gone.done():
            self.gone.set_result(None)
        for fut in (*self._acks.values(), *self._waiters.values()):
            if not fut.done():
                fut.set_exception(ConnectionError("connection closed"))

    def data_received(self, data: bytes) -> None:
        buf = self._buf
        buf += data
        if not self._upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).decode("latin-1")
            del buf[: end + 4]
            if not head.startswith("HTTP/1.1 101"):
                self._fail(HandshakeError(head.splitlines()[0] if head else "no answer"))
                return
            if "permessage-deflate" in head.lower():
                self.deflate = True
                self._inflate = zlib.decompressobj(-15)
            self._upgraded = True
        while True:
            n = len(buf)
            if n < 2:
                return
            b0 = buf[0]
            length = buf[1] & 0x7F
            pos = 2
            if length == 126:
                if n < 4:
                    return
                length = (buf[2] << 8) | buf[3]
                pos = 4
            elif length == 127:
                if n < 10:
                    return
                length = int.from_bytes(buf[2:10], "big")
                pos = 10
            if n < pos + length:
                return
            payload = bytes(buf[pos : pos + length])
            del buf[: pos + length]
            opcode = b0 & 0x0F
            if b0 & 0x40 and self._inflate is not None:
                payload = self._inflate.decompress(payload + b"\x00\x00\xff\xff")
            if opcode == 1:
                self._on_engineio(payload.decode())
            elif opcode == 9:  # websocket ping: answer with a masked pong
                assert self.transport is not None
                self.transport.write(bytes((0x8A, 0x80 | len(payload))) + _MASK + payload)
            elif opcode == 8:
                self.close()
                return

    # --- Engine.IO and Socket.IO ------------------------------------------------------------

    def _on_engineio(self, text: str) -> None:
        kind = text[0]
        if kind == "4":
            self._on_socketio(text)
        elif kind == "2":
            self.send_raw("3")
        elif kind == "0":
            self.send_raw("40" + self._prefix + json.dumps(self.auth, separators=(",", ":")))
        elif kind == "1":
            self.close()

    def _on_socketio(self, text: str) -> None:
        # text is "4" (Engine.IO message) + Socket.IO type + optional "/nsp," + body
        kind = text[1]
        body = text[2 + len(self._prefix) :] if self._prefix else text[2:]
        if kind == "2":
            if self.on_packet is not None:
                self.on_packet(self, body)
                return
            event = json.loads(body)
            name = event[0]
            data = event[1] if len(event) > 1 else None
            self.inbox[name] = data
            waiter = self._waiters.pop(name, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(data)
        elif kind == "3":
            i = 0
            while body[i].isdigit():
                i += 1
            ack_id = int(body[:i])
            fut = self._acks.pop(ack_id, None)
            if fut is not None:
                if not fut.done():
                    fut.set_result(json.loads(body[i:])[0])
            elif '"ok":false' in body:
                self.ack_errors += 1
                self.last_error = body[i : i + 300]
        elif kind == "0":
            if not self.ready.done():
                self.ready.set_result(json.loads(body) if body else None)
        elif kind == "4":
            self._fail(HandshakeError(f"{self.namespace} refused the connection: {body}"))
        elif kind == "1":
            self.close()

    def _fail(self, exc: Exception) -> None:
        if not self.ready.done():
            self.ready.set_exception(exc)
        self.close()

    def send_raw(self, text: str) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(text.encode()))

    def emit_json(self, event: str, data_json: str) -> None:
        """Send an event whose payload is already JSON text, asking for an acknowledgement that
        ``on_packet`` sees (errors are counted in ``ack_errors``)."""
        self._next_id += 1
        self.send_raw(f'42{self._prefix}{self._next_id}["{event}",{data_json}]')

    async def call(self, event: str, data: Any, wait_seconds: float = 30.0) -> Any:
        """Send an event and wait for its acknowledgement."""
        self._next_id += 1
        ack_id = self._next_id
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = fut
        payload = json.dumps([event, data], separators=(",", ":"))
        self.send_raw(f"42{self._prefix}{ack_id}{payload}")
        return await asyncio.wait_for(fut, wait_seconds)

    async def wait_event(self, name: str, wait_seconds: float = 30.0) -> Any:
        if name in self.inbox:
            return self.inbox.pop(name)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters[name] = fut
        try:
            return await asyncio.wait_for(fut, wait_seconds)
        finally:
            self.inbox.pop(name, None)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()


async def connect(
    host: str,
    port: int,
    namespace: str,
    auth: dict[str, Any] | None = None,
    *,
    offer_deflate: bool = True,
    wait_seconds: float = 30.0,
) -> SioClient:
    """Open a websocket to ``host:port`` and connect to ``namespace``."""
    loop = asyncio.get_running_loop()
    _, client = await asyncio.wait_for(
        loop.create_connection(
            lambda: SioClient(host, port, namespace, auth or {}, offer_deflate=offer_deflate),
            host,
            port,
        ),
        wait_seconds,
    )
    try:
        await asyncio.wait_for(asyncio.shield(client.ready), wait_seconds)
    except BaseException:
        client.close()
        raise
    return client
