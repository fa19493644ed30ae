"""The baseline: a bare python-socketio relay on aiohttp, nothing else.

A client connects with ``auth: {"rooms": [name, ...]}`` and joins those rooms (a shopper its
conversation's, a CSR those of the conversations it serves). ``chat:send`` is emitted
as ``chat:message`` to the room named by its ``conversation_id`` (sender included, as Careline
echoes a message to its author's own room) and acknowledged with ``{"ok": true}``, as every
Careline event is acknowledged. No validation, no storage, no rate limit.

Its websockets are python-engineio's own, as shipped, with one setting changed: no per-message
deflate, like Careline's (the comparison then measures Careline's own work, not a transport
setting). ``--deflate`` keeps the stack's default, which accepts deflate whenever the client
offers it. ``--careline-transport`` runs it on Careline's websocket writer instead
(``web/wstransport.py``), for context: how much of the difference that writer makes.

    python -m bench.relay --port 8301 [--deflate | --careline-transport]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from typing import Any

import socketio
from aiohttp import web
from engineio.async_drivers import aiohttp as engineio_aiohttp

from web.sockets import use_plain_websockets

LIBRARY, DEFLATE, CARELINE = "library", "deflate", "careline"


class NoDeflateWebSocket(engineio_aiohttp.WebSocket):  # type: ignore[misc]
    """python-engineio's own aiohttp websocket, as shipped, with one setting changed: no
    per-message deflate (aiohttp accepts it whenever a client offers it). Everything else,
    the writer task per connection included, is the library's."""

    async def __call__(self, environ: dict[str, Any]) -> web.WebSocketResponse:
        request = environ["aiohttp.request"]
        self._sock = web.WebSocketResponse(
            max_msg_size=self.server.max_http_buffer_size, compress=False
        )
        await self._sock.prepare(request)
        self.environ = environ
        await self.handler(self)
        return self._sock


def build_app(transport: str = LIBRARY) -> web.Application:
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    if transport == LIBRARY:
        # A copy of the driver table: other servers in the process keep the default.
        sio.eio._async = {**sio.eio._async, "websocket": NoDeflateWebSocket}
    elif transport == CARELINE:
        use_plain_websockets(sio)

    @sio.event  # type: ignore[untyped-decorator]
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        rooms = auth.get("rooms") if isinstance(auth, dict) else None
        for room in rooms if isinstance(rooms, list) else ():
            await sio.enter_room(sid, str(room))

    @sio.on("chat:send")  # type: ignore[untyped-decorator]
    async def send(sid: str, data: Any) -> dict[str, Any]:
        await sio.emit("chat:message", data, room=data["conversation_id"])
        return {"ok": True}

    app = web.Application()
    sio.attach(app)

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_get("/healthz", healthz)
    return app


async def serve(host: str, port: int, transport: str = LIBRARY) -> None:
    runner = web.AppRunner(build_app(transport), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    await site.start()
    print(f"relay serving on http://{host}:{port} (websockets: {transport})")
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8301)
    how = parser.add_mutually_exclusive_group()
    how.add_argument(
        "--deflate",
        dest="transport",
        action="store_const",
        const=DEFLATE,
        help="the library's websockets with per-message deflate, as shipped",
    )
    how.add_argument(
        "--careline-transport",
        dest="transport",
        action="store_const",
        const=CARELINE,
        help="Careline's websocket writer (web/wstransport.py), without deflate",
    )
    parser.set_defaults(transport=LIBRARY)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.transport))


if __name__ == "__main__":
    main()
