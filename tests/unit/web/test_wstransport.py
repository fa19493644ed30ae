"""Websocket frames written by Careline's Engine.IO transport are the frames aiohttp writes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp._websocket.writer import WebSocketWriter
from aiohttp.http_websocket import WSMsgType
from engineio import packet

from web.wstransport import DirectWebSocket, frame


class _Captured(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.data = bytearray()

    def write(self, data: Any) -> None:
        self.data += data

    def is_closing(self) -> bool:
        return False


async def _aiohttp_frame(data: str | bytes) -> bytes:
    class Protocol:
        _paused = False

    transport = _Captured()
    writer = WebSocketWriter(Protocol(), transport)  # type: ignore[arg-type]
    if isinstance(data, str):
        await writer.send_frame(data.encode(), WSMsgType.TEXT)
    else:
        await writer.send_frame(data, WSMsgType.BINARY)
    return bytes(transport.data)


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65_535, 65_536, 200_000])
async def test_text_frames_match_aiohttp_at_every_length_boundary(size: int) -> None:
    text = "é" * (size // 2) + "x" * (size % 2)  # two bytes a character in UTF-8
    assert frame(text) == await _aiohttp_frame(text)


async def test_bytes_go_as_a_binary_frame() -> None:
    assert frame(b"\x00\xff" * 100) == await _aiohttp_frame(b"\x00\xff" * 100)


class _Writes(_Captured):
    """A connection that keeps each write apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))


class _Socket:
    async def check_ping_timeout(self) -> bool:
        return True


class _Ws:
    def __init__(self, transport: _Writes) -> None:
        self.transport = transport
        self.closed_after: list[bytes] | None = None

    async def close(self) -> None:
        self.closed_after = list(self.transport.writes)


def _direct(transport: _Writes) -> tuple[DirectWebSocket, _Ws]:
    ws = _Ws(transport)
    return DirectWebSocket(_Socket(), ws, transport), ws  # type: ignore[arg-type]


async def test_the_frames_of_one_turn_go_out_in_one_write_in_order() -> None:
    transport = _Writes()
    direct, _ = _direct(transport)
    first = packet.Packet(packet.MESSAGE, data='2["chat:message",{"text":"hi"}]')
    ack = packet.Packet(packet.MESSAGE, data='3[{"ok":true}]')
    await direct.send(first)
    await direct.send(ack)
    assert transport.writes == []  # not yet: the rest of this turn may add to them
    await asyncio.sleep(0)
    assert transport.writes == [frame(first.encode()) + frame(ack.encode())]
    later = packet.Packet(packet.MESSAGE, data='2["chat:typing",{}]')
    await direct.send(later)
    await asyncio.sleep(0)
    assert transport.writes[1:] == [frame(later.encode())]


async def test_a_close_packet_goes_out_before_the_connection_closes() -> None:
    transport = _Writes()
    direct, ws = _direct(transport)
    message = packet.Packet(packet.MESSAGE, data='2["chat:status",{}]')
    close = packet.Packet(packet.CLOSE)
    await direct.send(message)
    await direct.send(close)
    # At once: aiohttp writes its own close frame straight to the connection.
    assert transport.writes == [frame(message.encode()) + frame(close.encode())]
    await asyncio.sleep(0)
    assert ws.closed_after == [frame(message.encode()) + frame(close.encode())]
    assert len(transport.writes) == 1  # nothing written twice


async def test_nothing_is_written_to_a_closing_connection() -> None:
    transport = _Writes()
    direct, _ = _direct(transport)
    transport.is_closing = lambda: True  # type: ignore[method-assign]
    await direct.send(packet.Packet(packet.MESSAGE, data="2[]"))
    await asyncio.sleep(0)
    assert transport.writes == []
