"""The Socket.IO server: transport settings, origin checks, fan-out across processes."""

from __future__ import annotations

from typing import Any

import socketio
from aiohttp import web
from engineio.async_drivers import aiohttp as engineio_aiohttp

from chat.fanout import DirectEmitManager, HealingRedisManager
from chat.rooms import AGENT_NS, CUSTOMER_NS
from chat.wire import JsonPacket
from web.polling import adapt_polling
from web.settings import Settings
from web.wstransport import DirectWebSocket


class PlainWebSocket(engineio_aiohttp.WebSocket):  # type: ignore[misc]
    """Engine.IO's aiohttp websocket without per-message deflate.

    aiohttp accepts ``permessage-deflate`` whenever a client offers it (browsers always do), and
    then keeps a zlib compressor and decompressor alive for the life of each connection: a bare
    python-socketio server holds about 120 KiB per idle connection with it and 30 KiB without
    (``python -m bench``, docs/performance.md), for chat frames of a few hundred bytes that
    barely compress. Careline's frames go uncompressed; HTTP compression of the polling
    transport is off as well (``http_compression=False``).

    The Engine.IO side of the connection is :class:`web.wstransport.DirectWebSocket`: frames
    written as they are sent, without the library's writer task.
    """

    async def __call__(self, environ: dict[str, Any]) -> web.WebSocketResponse:
        request = environ["aiohttp.request"]
        self._sock = web.WebSocketResponse(
            max_msg_size=self.server.max_http_buffer_size, compress=False
        )
        await self._sock.prepare(request)
        self.environ = environ
        await DirectWebSocket(self.handler.__self__, self._sock, request.transport).run()
        return self._sock


class CareSocketServer(socketio.AsyncServer):  # type: ignore[misc]
    """python-socketio's server, with every Engine.IO connection's polling put right as
    :func:`web.polling.adapt_polling` explains."""

    async def _handle_eio_connect(self, eio_sid: str, environ: dict[str, Any]) -> Any:
        adapt_polling(self.eio._get_socket(eio_sid))
        return await super()._handle_eio_connect(eio_sid, environ)


def use_plain_websockets(sio: socketio.AsyncServer) -> None:
    """Serve the websocket transport of ``sio`` through :class:`PlainWebSocket`.

    The driver table is copied, not changed in place: other servers in the same process keep
    the library's default."""
    sio.eio._async = {**sio.eio._async, "websocket": PlainWebSocket}


def allowed_origin_check(settings: Settings) -> Any:
    """Sockets may be opened from the app's own origin and the configured storefronts only."""
    extra = {o.rstrip("/") for o in (*settings.storefront_origins, *settings.public_origins)}

    def check(origin: str | None, environ: dict[str, Any]) -> bool:
        if origin is None:
            return True  # not a browser: no ambient credentials to abuse
        if origin.rstrip("/") in extra:
            return True
        host = environ.get("HTTP_HOST")
        scheme = environ.get("HTTP_X_FORWARDED_PROTO", environ.get("wsgi.url_scheme", "http"))
        return host is not None and origin == f"{scheme.split(',')[0].strip()}://{host}"

    return check


def create_socket_server(settings: Settings) -> socketio.AsyncServer:
    manager = (
        HealingRedisManager(
            settings.redis_url,
            channel=f"{settings.redis_prefix}:socketio",
            namespaces=(CUSTOMER_NS, AGENT_NS),
        )
        if settings.redis_url
        else DirectEmitManager()
    )
    sio = CareSocketServer(
        async_mode="aiohttp",
        client_manager=manager,
        cors_allowed_origins=allowed_origin_check(settings),
        # Frames larger than this are refused by the transport before any handler runs.
        max_http_buffer_size=settings.max_frame_bytes,
        ping_interval=25,
        ping_timeout=20,
        http_compression=False,
        logger=False,
        engineio_logger=False,
        serializer=JsonPacket,
    )
    use_plain_websockets(sio)
    return sio


def attach(sio: socketio.AsyncServer, app: web.Application) -> None:
    sio.attach(app, socketio_path="socket.io")
