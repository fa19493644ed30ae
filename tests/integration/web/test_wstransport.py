"""Careline's websocket transport keeps Engine.IO's rules: the handshake, pings, a client that
stops answering them is let go, a server-side disconnect closes the connection, every packet
arrives in the order it was sent."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import socketio

from tests.integration.live import served
from web.sockets import use_plain_websockets


@dataclass
class Bare:
    """A bare Socket.IO server on Careline's websocket transport, with short pings."""

    sio: socketio.AsyncServer
    url: str
    disconnected: list[str] = field(default_factory=list)


@pytest.fixture
async def bare() -> AsyncIterator[Bare]:
    sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=0.3, ping_timeout=0.3)
    use_plain_websockets(sio)
    disconnected: list[str] = []

    @sio.on("disconnect")
    async def gone(sid: str, reason: Any = None) -> None:
        disconnected.append(sid)

    @sio.on("burst")
    async def burst(sid: str, count: int) -> None:
        for i in range(count):
            await sio.emit("n", i, to=sid)

    async with served(sio) as (_, port):
        url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
        yield Bare(sio, url, disconnected)


class RawClient:
    """Engine.IO v4 / Socket.IO v5 by hand over one websocket, answering pings only when told."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, answer_pings: bool) -> None:
        self.ws = ws
        self.answer_pings = answer_pings
        self.events: list[tuple[str, Any]] = []
        self.pings = 0
        self.closed = asyncio.Event()

    async def connect(self) -> str:
        """Open the Engine.IO session and the default namespace; the Engine.IO session id."""
        opened = await self.ws.receive_str()
        assert opened.startswith("0") and "pingInterval" in opened
        await self.ws.send_str("40")
        connected = await self.ws.receive_str()
        assert connected.startswith("40")
        return str(json.loads(opened[1:])["sid"])

    async def read(self) -> None:
        async for msg in self.ws:
            if msg.type is not aiohttp.WSMsgType.TEXT:
                break
            if msg.data == "2":
                self.pings += 1
                if self.answer_pings:
                    await self.ws.send_str("3")
            elif msg.data.startswith("42"):
                name, *args = json.loads(msg.data[2:])
                self.events.append((name, args[0] if args else None))
        self.closed.set()


async def _client(
    session: aiohttp.ClientSession, url: str, answer_pings: bool
) -> tuple[RawClient, str, asyncio.Task[None]]:
    client = RawClient(await session.ws_connect(url), answer_pings)
    sid = await client.connect()
    return client, sid, asyncio.create_task(client.read())


async def _until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    assert condition()


async def test_a_client_that_stops_answering_pings_is_let_go(bare: Bare) -> None:
    async with aiohttp.ClientSession() as session:
        alive, alive_sid, alive_reading = await _client(session, bare.url, answer_pings=True)
        silent, _, _ = await _client(session, bare.url, answer_pings=False)
        await asyncio.wait_for(silent.closed.wait(), 5)
        assert silent.pings >= 1
        await _until(lambda: len(bare.disconnected) == 1)
        # The one that answers is still served, pings and all.
        await asyncio.sleep(1.0)
        assert not alive.closed.is_set() and alive.pings >= 2
        assert len(bare.disconnected) == 1
        assert alive_sid in bare.sio.eio.sockets
        await bare.sio.emit("still-here", {"ok": True})
        for _ in range(50):
            if alive.events:
                break
            await asyncio.sleep(0.02)
        assert alive.events == [("still-here", {"ok": True})]
        await alive.ws.close()
        await alive_reading


async def test_a_server_side_close_ends_the_connection(bare: Bare) -> None:
    async with aiohttp.ClientSession() as session:
        client, eio_sid, reading = await _client(session, bare.url, answer_pings=True)
        await bare.sio.eio.disconnect(eio_sid)
        # Closed by the server, though this client never closes a connection on its own.
        await asyncio.wait_for(reading, 5)
        assert client.ws.closed
        await _until(lambda: len(bare.disconnected) == 1)


async def test_packets_arrive_in_the_order_they_were_sent(bare: Bare) -> None:
    async with aiohttp.ClientSession() as session:
        client, _, reading = await _client(session, bare.url, answer_pings=True)
        await client.ws.send_str('42["burst",500]')
        for _ in range(250):
            if len(client.events) >= 500:
                break
            await asyncio.sleep(0.02)
        assert client.events == [("n", i) for i in range(500)]
        await client.ws.close()
        await reading
