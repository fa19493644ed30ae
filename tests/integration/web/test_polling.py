"""Careline's long-polling transport: a poll carries no more packets than a python-engineio
client reads in one answer, nothing is lost or reordered across polls, and a poll waiting when
its client leaves is answered at once (``web.polling``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
import socketio
from aiohttp import web

from tests.integration.live import served
from web.polling import MAX_POLL_PACKETS
from web.settings import Settings
from web.sockets import create_socket_server


@dataclass
class Server:
    sio: socketio.AsyncServer
    url: str
    runner: web.AppRunner


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    sio = create_socket_server(Settings())

    @sio.event  # type: ignore[untyped-decorator]
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        await sio.enter_room(sid, "a")

    async with served(sio) as (runner, port):
        yield Server(sio, f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling", runner)


class Poller:
    """Engine.IO v4 long-polling by hand."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http = http
        self.base = base
        self.url = base

    async def open(self) -> None:
        opened = await self.poll()
        assert opened[0].startswith("0")
        self.url = f"{self.base}&sid={json.loads(opened[0][1:])['sid']}"
        await self.post("40")
        assert (await self.poll())[0].startswith("40")

    async def poll(self) -> list[str]:
        async with self.http.get(self.url) as answer:
            assert answer.status == 200
            return (await answer.text()).split("\x1e")

    async def post(self, text: str) -> None:
        async with self.http.post(self.url, data=text) as answer:
            assert answer.status == 200


@pytest.fixture
async def poller(server: Server) -> AsyncIterator[Poller]:
    async with aiohttp.ClientSession() as http:
        client = Poller(http, server.url)
        await client.open()
        yield client


async def test_a_burst_comes_over_several_polls_in_order(server: Server, poller: Poller) -> None:
    count = 3 * MAX_POLL_PACKETS + 5
    for i in range(count):
        await server.sio.emit("n", i, to="a")

    answers: list[list[str]] = []
    while sum(len(a) for a in answers) < count:
        answers.append(await poller.poll())

    assert all(len(a) <= MAX_POLL_PACKETS for a in answers)
    assert [p for a in answers for p in a] == [f'42["n",{i}]' for i in range(count)]


async def test_a_waiting_poll_is_answered_when_its_client_leaves(
    server: Server, poller: Poller
) -> None:
    waiting = asyncio.ensure_future(poller.poll())
    await asyncio.sleep(0.2)
    assert not waiting.done()

    await poller.post("1")  # Engine.IO CLOSE

    await asyncio.wait_for(waiting, 2)  # not the ping timeout (45 s)
    started = asyncio.get_running_loop().time()
    await server.runner.cleanup()
    assert asyncio.get_running_loop().time() - started < 5
