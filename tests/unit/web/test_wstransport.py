"""Websocket frames written by Careline's Engine.IO transport are the frames aiohttp writes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp._websocket.writer import WebSocketWriter
from aiohttp.http_websocket import WSMsgType

from web.wstransport import frame


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
