"""Events emitted to rooms reach exactly the rooms' members, in order, over both transports,
and one broken connection does not keep an event from the others (``chat.fanout``, on the
Socket.IO server as Careline makes it)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import socketio

from chat.fanout import DirectEmitManager
from tests.integration.live import served
from web.polling import MAX_POLL_PACKETS
from web.settings import Settings
from web.sockets import create_socket_server


@dataclass
class Server:
    sio: socketio.AsyncServer
    url: str


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    sio = create_socket_server(Settings())
    assert isinstance(sio.manager, DirectEmitManager)

    @sio.event  # type: ignore[untyped-decorator]
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        for room in auth["rooms"]:
            await sio.enter_room(sid, room)

    async with served(sio) as (_, port):
        yield Server(sio, f"http://127.0.0.1:{port}")


class Listener:
    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.got: list[Any] = []
        self.client.on("n", self.got.append)

    async def connect(self, server: Server, rooms: list[str], transport: str) -> str:
        await self.client.connect(server.url, auth={"rooms": rooms}, transports=[transport])
        sid = self.client.get_sid()
        assert sid is not None
        return sid

    async def wait_for(self, count: int) -> None:
        for _ in range(400):
            if len(self.got) >= count:
                return
            await asyncio.sleep(0.01)


@pytest.fixture
async def listeners() -> AsyncIterator[list[Listener]]:
    made = [Listener() for _ in range(4)]
    yield made
    for listener in made:
        await listener.client.disconnect()


async def test_an_event_reaches_each_member_of_its_rooms_once(
    server: Server, listeners: list[Listener]
) -> None:
    a, both, b, outsider = listeners
    await a.connect(server, ["a"], "websocket")
    await both.connect(server, ["a", "b"], "websocket")
    await b.connect(server, ["b"], "polling")
    await outsider.connect(server, ["c"], "websocket")

    await server.sio.emit("n", {"text": "hello"}, to=["a", "b"])
    for listener in (a, both, b):
        await listener.wait_for(1)
    await asyncio.sleep(0.1)

    assert a.got == both.got == b.got == [{"text": "hello"}]
    assert outsider.got == []


async def test_skipped_sender_does_not_hear_its_own_event(
    server: Server, listeners: list[Listener]
) -> None:
    sender, other = listeners[:2]
    sender_sid = await sender.connect(server, ["a"], "websocket")
    await other.connect(server, ["a"], "websocket")

    await server.sio.emit("n", 1, to="a", skip_sid=sender_sid)
    await other.wait_for(1)
    await asyncio.sleep(0.1)

    assert other.got == [1]
    assert sender.got == []


async def test_a_burst_arrives_in_order_on_both_transports(
    server: Server, listeners: list[Listener]
) -> None:
    """More events than a polling client reads in one answer, sent without a pause: the
    polling client gets them over several polls (``web.polling``)."""
    assert MAX_POLL_PACKETS < 300
    ws, polling = listeners[:2]
    await ws.connect(server, ["a"], "websocket")
    await polling.connect(server, ["a"], "polling")

    for i in range(300):
        await server.sio.emit("n", i, to="a")
    await ws.wait_for(300)
    await polling.wait_for(300)

    assert ws.got == list(range(300))
    assert polling.got == list(range(300))


async def test_a_broken_connection_does_not_keep_the_event_from_the_others(
    server: Server, listeners: list[Listener], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, broken, last = listeners[:3]
    await first.connect(server, ["a"], "websocket")
    broken_sid = await broken.connect(server, ["a"], "websocket")
    await last.connect(server, ["a"], "websocket")
    broken_eio = server.sio.manager.eio_sid_from_sid(broken_sid, "/")
    send = server.sio._send_eio_packet

    async def failing(eio_sid: str, pkt: Any) -> None:
        if eio_sid == broken_eio:
            raise ConnectionResetError("gone")
        await send(eio_sid, pkt)

    monkeypatch.setattr(server.sio, "_send_eio_packet", failing)
    await server.sio.emit("n", "still here", to="a")
    await first.wait_for(1)
    await last.wait_for(1)

    assert first.got == last.got == ["still here"]
    assert broken.got == []
