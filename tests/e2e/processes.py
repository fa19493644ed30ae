"""Real ``careline serve`` processes and a private Redis server, for multi-process tests."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on {port} after {timeout}s")


class RedisServer:
    """A Redis of the test's own on a free port, so it can be stopped and started at will."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed for the multi-process tests"
        self.binary = binary
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None


class CarelineProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._env = {**os.environ, **env, "CARELINE_PORT": str(self.port)}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "web.cli", "serve"],
                env=self._env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


@contextmanager
def cluster(
    database_url: str, redis: RedisServer, workdir: Path, count: int = 2, **extra: str
) -> Iterator[list[CarelineProcess]]:
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "REDIS_PREFIX": f"t{uuid.uuid4().hex[:8]}",
        "CARELINE_SECRET": "multi-process-test-secret-of-enough-length",
        "STOREFRONT_SECRET": "multi-process-storefront-secret",
        "AGENT_GRACE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    processes = [CarelineProcess(env, workdir / f"careline-{i}.log") for i in range(count)]
    try:
        for process in processes:
            process.start()
        yield processes
    finally:
        for process in processes:
            process.stop()


async def ready(url: str, timeout: float = 15.0) -> dict[str, object]:
    deadline = asyncio.get_running_loop().time() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            async with http.get(f"{url}/readyz") as response:
                body: dict[str, object] = await response.json()
                if response.status == 200:
                    return body
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{url} not ready: {body}")
            await asyncio.sleep(0.2)
