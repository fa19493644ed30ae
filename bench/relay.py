"""The baseline: a bare python-socketio relay on aiohttp, nothing else.

A client connects with ``auth: {"rooms": [name, ...]}`` and joins those rooms (a shopper its
conversation's, a CSR those of the conversations it serves). ``chat:send`` is emitted
as ``chat:message`` to the room named by its ``conversation_id`` (sender included, as Careline
echoes a message to its author's own room) and acknowledged with ``{"ok": true}``, as every
Careline event is acknowledged. No validation, no storage, no rate limit.

    python -m bench.relay --port 8301 [--deflate]

By default its websockets go without per-message deflate, like Careline's (the comparison then
measures what Careline's own work costs); ``--deflate`` keeps the stack's default, which
accepts deflate whenever the client offers it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from typing import Any

import socketio
from aiohttp import web

from web.sockets import use_plain_websockets


def build_app(*, deflate: bool) -> web.Application:
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    if not deflate:
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


async def serve(host: str, port: int, *, deflate: bool) -> None:
    runner = web.AppRunner(build_app(deflate=deflate), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    await site.start()
    print(f"relay serving on http://{host}:{port} (deflate {'on' if deflate else 'off'})")
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--deflate", action="store_true", help="keep per-message deflate")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, deflate=args.deflate))


if __name__ == "__main__":
    main()
