"""The servers under test, each in its own process: start, wait until it answers, measure, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil  # type: ignore[import-untyped]

HOST = "127.0.0.1"
RATE_PER_SECOND = 10_000


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path
    _ps: psutil.Process | None = field(default=None, repr=False)

    @property
    def ps(self) -> psutil.Process:
        if self._ps is None:
            self._ps = psutil.Process(self.proc.pid)
        return self._ps

    def rss(self) -> int:
        return int(self.ps.memory_info().rss)

    def cpu_seconds(self) -> float:
        """CPU time of the server and of its child processes (Careline's message store on
        SQLite is one): the whole server's work."""
        total = 0.0
        for proc in (self.ps, *self._children()):
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                total += times.user + times.system
        return total

    def _children(self) -> list[psutil.Process]:
        with contextlib.suppress(psutil.NoSuchProcess):
            return list(self.ps.children(recursive=True))
        return []

    def main_thread_cpu_seconds(self) -> float:
        for thread in self.ps.threads():
            if thread.id == self.proc.pid:
                return float(thread.user_time + thread.system_time)
        return 0.0

    async def wait_ready(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited early:\n{self.tail()}")
                with contextlib.suppress(aiohttp.ClientError, OSError):
                    async with session.get(f"http://{HOST}:{self.port}/healthz") as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer in {seconds:.0f} s:\n{self.tail()}")

    async def settle(self, quiet_cpu: float = 0.03, limit: float = 20.0) -> None:
        """Wait until the server is idle: under ``quiet_cpu`` of a core over half a second."""
        deadline = time.monotonic() + limit
        await asyncio.sleep(0.5)
        while time.monotonic() < deadline:
            before = self.cpu_seconds()
            await asyncio.sleep(0.5)
            if self.cpu_seconds() - before < quiet_cpu * 0.5:
                return

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def _spawn(name: str, port: int, argv: list[str], env: dict[str, str], workdir: Path) -> Server:
    log = workdir / f"{name}-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: stopped as one
        )
    return Server(name=name, port=port, proc=proc, log=log)


def start_relay(port: int, workdir: Path, transport: str = "library") -> Server:
    """The bare relay (``bench/relay.py``): its websockets as the library ships them but
    without deflate ("library"), with deflate ("deflate"), or Careline's writer ("careline")."""
    argv = [sys.executable, "-m", "bench.relay", "--host", HOST, "--port", str(port)]
    flags = {"library": [], "deflate": ["--deflate"], "careline": ["--careline-transport"]}
    argv += flags[transport]
    name = "relay" if transport == "library" else f"relay-{transport}"
    return _spawn(name, port, argv, dict(os.environ), workdir)


def start_careline(port: int, workdir: Path, database_url: str, secret: str) -> Server:
    """``careline serve``, the production entry point, on the benchmark's database."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # one process, in-process fan-out
    env.update(
        {
            "DATABASE_URL": database_url,
            "CARELINE_SECRET": secret,
            "CARELINE_HOST": HOST,
            "CARELINE_PORT": str(port),
            "LOG_LEVEL": "WARNING",
            # A shopper or CSR here sends a message as soon as the last came back, far above
            # the per-connection limit meant for people (20 events/s): the bucket is still
            # charged for every event, it just never runs dry.
            "RATE_PER_SECOND": str(RATE_PER_SECOND),
            "RATE_BURST": str(RATE_PER_SECOND),
        }
    )
    argv = [sys.executable, "-m", "web.cli", "serve"]
    return _spawn("careline", port, argv, env, workdir)
