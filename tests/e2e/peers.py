"""Socket.IO peers for end-to-end tests: real clients on real sockets, with event inboxes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp
import socketio

Predicate = Callable[[Any], bool]


class Peer:
    """One Socket.IO client on one namespace, recording every event it receives."""

    def __init__(
        self,
        url: str,
        namespace: str,
        *,
        headers: dict[str, str] | None = None,
        transports: tuple[str, ...] = ("websocket",),
    ) -> None:
        self.url = url
        self.namespace = namespace
        self.headers = headers or {}
        self.transports = transports
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self._consumed: set[int] = set()
        self._changed = asyncio.Event()
        self.connect_error: Any = None

        @self.sio.on("*", namespace=namespace)
        async def _any(event: str, data: Any = None) -> None:
            self.events.append((event, data))
            self._changed.set()

        @self.sio.on("connect_error", namespace=namespace)
        async def _refused(data: Any = None) -> None:
            self.connect_error = data
            self._changed.set()

    async def connect(self, auth: dict[str, Any] | None = None) -> None:
        await self.sio.connect(
            self.url,
            namespaces=[self.namespace],
            auth=auth or {},
            transports=list(self.transports),
            headers=self.headers,
            wait_timeout=10,
        )

    async def call(self, event: str, data: Any = None, timeout: float = 10) -> Any:
        return await self.sio.call(event, data, namespace=self.namespace, timeout=timeout)

    async def emit(self, event: str, data: Any = None) -> None:
        await self.sio.emit(event, data, namespace=self.namespace)

    async def expect(self, event: str, where: Predicate | None = None, timeout: float = 5.0) -> Any:
        """The first event named ``event`` (matching ``where``) not yet returned by expect."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for index in range(len(self.events)):
                name, data = self.events[index]
                if index in self._consumed or name != event:
                    continue
                if where is None or where(data):
                    self._consumed.add(index)
                    return data
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                names = [n for n, _ in self.events]
                raise AssertionError(f"no {event!r} within {timeout}s; got {names}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue

    def received(self, event: str) -> list[Any]:
        return [d for n, d in self.events if n == event]

    async def disconnect(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


async def login(url: str, username: str, password: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{url}/api/auth/login", json={"username": username, "password": password}
        ) as response,
    ):
        body = await response.json()
        assert response.status == 200, body
        return str(body["token"])


async def agent_peer(url: str, username: str, password: str | None = None) -> Peer:
    token = await login(url, username, password or f"{username}-pass-123")
    peer = Peer(url, "/agent")
    await peer.connect({"token": token})
    await peer.expect("session")
    return peer


async def shopper_peer(
    url: str, auth: dict[str, Any] | None = None, transports: tuple[str, ...] = ("websocket",)
) -> Peer:
    peer = Peer(url, "/customer", transports=transports)
    await peer.connect(auth)
    await peer.expect("session")
    return peer


def cid() -> str:
    return uuid.uuid4().hex
