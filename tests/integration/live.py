"""A Socket.IO server served for real on a free local port, for integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import socketio
from aiohttp import web


@asynccontextmanager
async def served(sio: socketio.AsyncServer) -> AsyncIterator[tuple[web.AppRunner, int]]:
    """``sio`` on aiohttp at 127.0.0.1 on a port of the system's choosing: its runner and
    port, until the block ends."""
    app = web.Application()
    sio.attach(app)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield runner, port
    finally:
        await runner.cleanup()
