"""Where a server's event-loop thread spends its time under load, from py-spy samples.

``python -m bench --profile`` samples each server (py-spy, raw output) during
an extra closed-loop run that is not counted in the figures, and splits the samples of the
thread running the event loop by the innermost frame that belongs to a known part of the
stack. Idle time (the loop blocked in ``select``) is sampled too, so the shares are of wall
time. Other threads (aiosqlite's database thread) are left out: their CPU time is measured
separately, per thread, by psutil.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# (label, path fragments), innermost match wins; first matching label in this order.
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("database: SQLAlchemy async engine", ("sqlalchemy/",)),
    ("database: aiosqlite (thread hand-off)", ("aiosqlite/",)),
    ("pydantic validation and serialisation", ("pydantic/", "pydantic_core/")),
    ("Socket.IO / Engine.IO", ("socketio/", "engineio/")),
    ("aiohttp (HTTP, websocket frames)", ("aiohttp/",)),
    (
        "Careline code",
        ("(chat/", "(queues/", "(web/", "(bots/", "(orders/", "(customers/", "(bench/"),
    ),
)
IDLE = "event loop: waiting for I/O (idle)"
LOOP = "event loop: scheduling, sockets, other stdlib"


@dataclass
class Profile:
    seconds: float
    rate: int
    main: Counter[str]
    other_threads: int

    @property
    def main_samples(self) -> int:
        return sum(self.main.values())


def py_spy() -> str | None:
    candidate = Path(sys.executable).parent / "py-spy"
    return str(candidate) if candidate.exists() else shutil.which("py-spy")


def record(pid: int, seconds: float, out: Path, rate: int = 200) -> subprocess.Popen[bytes] | None:
    """Start sampling ``pid`` in the background; None when py-spy is not installed."""
    exe = py_spy()
    if exe is None:
        return None
    argv = [exe, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds)))]
    argv += ["--rate", str(rate), "--threads", "--idle", "--format", "raw"]
    argv += ["--output", str(out)]
    return subprocess.Popen(  # noqa: S603 (py-spy, found next to this interpreter or on PATH)
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _part(frames: list[str]) -> str:
    leaf = frames[-1] if frames else ""
    if "select (selectors.py" in leaf:
        return IDLE
    # Only what runs inside the loop's callbacks counts: the frames below them (the command
    # line, asyncio.run) are on every stack.
    start = 0
    for i, frame in enumerate(frames):
        if "_run_once (asyncio/base_events.py" in frame:
            start = i + 1
    for frame in reversed(frames[start:]):
        for label, fragments in PARTS:
            if any(f in frame for f in fragments):
                return label
    return LOOP


def parse(path: Path, seconds: float, rate: int = 200) -> Profile:
    """Split raw py-spy output (``thread (id);frame;frame... count``) by part."""
    stacks: dict[str, list[tuple[list[str], int]]] = {}
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        thread, *frames = stack.split(";")
        stacks.setdefault(thread, []).append((frames, int(count)))

    def runs_loop(samples: list[tuple[list[str], int]]) -> bool:
        return any("run_forever" in f for frames, _ in samples for f in frames)

    main: Counter[str] = Counter()
    other = 0
    for samples in stacks.values():
        if runs_loop(samples):
            for frames, n in samples:
                main[_part(frames)] += n
        else:
            other += sum(count for _, count in samples)
    return Profile(seconds=seconds, rate=rate, main=main, other_threads=other)


def table(name: str, profile: Profile, messages: int) -> list[str]:
    """Markdown rows: share of the event-loop thread's wall time and microseconds per message."""
    total = profile.main_samples or 1
    rows = []
    for label, count in profile.main.most_common():
        us = count / profile.rate / messages * 1e6 if messages else float("nan")
        rows.append(f"| {name} | {label} | {100 * count / total:.1f}% | {us:,.0f} |")
    return rows
