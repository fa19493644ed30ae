"""The loads: shopper/CSR ping-pong (closed loop and paced open loop) and idle connections.

A round trip: the shopper sends ``ping|k`` (``chat:send``, acknowledged), the server relays it
to the CSR, the CSR answers ``pong|k`` at once from its receive callback, the server relays that
to the shopper. Two messages per round trip; the round-trip time runs from the moment the
shopper's frame is written to the moment the CSR's answer is parsed.
"""

from __future__ import annotations

import asyncio
import math
import time
from array import array
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import psutil  # type: ignore[import-untyped]

from bench.servers import Server
from bench.wsclient import SioClient

CHAT_MESSAGE = '["chat:message"'
PING_MARK = '"text":"ping|'
PONG_MARK = '"text":"pong|'


class Recorder:
    """Send and completion times of round trips, in two flat arrays."""

    def __init__(self, *, closed_loop: bool) -> None:
        self.closed_loop = closed_loop
        self.stopping = False
        self.sent = array("d")
        self.done = array("d")

    def record(self, sent: float, done: float) -> None:
        self.sent.append(sent)
        self.done.append(done)


CONVERSATION_MARK = '"conversation_id":"'


def answer_pings(csr: SioClient) -> None:
    """Make ``csr`` answer every ``ping|k`` it hears at once with ``pong|k``, in the same
    conversation: a CSR serves several conversations on one connection."""

    def on_packet(client: SioClient, body: str) -> None:
        if not body.startswith(CHAT_MESSAGE):
            return
        i = body.find(PING_MARK)
        if i < 0:
            return  # the CSR's own answer, echoed to its room; or something else
        i += len(PING_MARK)
        k = body[i : body.find('"', i)]
        c = body.find(CONVERSATION_MARK) + len(CONVERSATION_MARK)
        conversation_id = body[c : body.find('"', c)]
        client.emit_json(
            "chat:send",
            f'{{"conversation_id":"{conversation_id}","client_id":"a{k}","text":"pong|{k}"}}',
        )

    csr.on_packet = on_packet


class Pair:
    """One conversation: a shopper's connection and its CSR's (shared with the CSR's other
    conversations)."""

    def __init__(self, conversation_id: str, shopper: SioClient, csr: SioClient) -> None:
        self.conversation_id = conversation_id
        self.shopper = shopper
        self.csr = csr
        self.k = 0
        self.pending: dict[int, float] = {}
        self.recorder = Recorder(closed_loop=False)
        self._ping = (
            '{"conversation_id":"' + conversation_id + '","client_id":"s%d","text":"ping|%d"}'
        )
        shopper.on_packet = self._on_shopper
        answer_pings(csr)

    def ping(self) -> None:
        self.k += 1
        k = self.k
        self.pending[k] = time.perf_counter()
        self.shopper.emit_json("chat:send", self._ping % (k, k))

    def _on_shopper(self, client: SioClient, body: str) -> None:
        if not body.startswith(CHAT_MESSAGE):
            return
        i = body.find(PONG_MARK)
        if i < 0:
            return  # the shopper's own message, echoed to its room
        i += len(PONG_MARK)
        sent = self.pending.pop(int(body[i : body.find('"', i)]), None)
        if sent is None:
            return  # answer to a ping of an earlier run
        recorder = self.recorder
        recorder.record(sent, time.perf_counter())
        if recorder.closed_loop and not recorder.stopping:
            self.ping()

    def close(self) -> None:
        self.shopper.close()
        self.csr.close()


@dataclass
class LoadResult:
    mode: str  # "closed" or "paced"
    conversations: int
    seconds: float
    offered_msgs_per_s: float | None
    msgs_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    round_trips: int
    lost: int
    ack_errors: int
    last_error: str
    server_cpu: float  # share of one core, over the window
    server_loop_cpu: float  # of which the event-loop thread
    generator_cpu: float
    other_cpu: float  # everything else running on the machine meanwhile
    schedule_lag_ms: float  # paced: how late the generator sent, at worst
    # Every round trip counted, in seconds, sorted (unanswered ones as infinity): for pooling.
    round_trip_times: list[float] = field(default_factory=list, repr=False)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def _drain(pairs: Sequence[Pair], seconds: float) -> None:
    """Wait for the round trips in flight, ``seconds`` at most."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(p.pending for p in pairs):
            return
        await asyncio.sleep(0.05)


@dataclass
class _Sample:
    wall: float
    server: float  # CPU seconds of the server process
    server_main: float  # of its main thread, the one running the event loop
    generator: float
    machine_busy: float  # of every core, every process


class _Cpu:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.me = psutil.Process()

    def sample(self) -> _Sample:
        mine = self.me.cpu_times()
        machine = psutil.cpu_times()
        idle = machine.idle + getattr(machine, "iowait", 0.0)
        return _Sample(
            wall=time.perf_counter(),
            server=self.server.cpu_seconds(),
            server_main=self.server.main_thread_cpu_seconds(),
            generator=mine.user + mine.system,
            machine_busy=sum(machine) - idle,
        )


def _result(
    mode: str,
    pairs: Sequence[Pair],
    recorder: Recorder,
    window: tuple[float, float],
    by_send_time: bool,
    cpu: tuple[_Sample, _Sample],
    offered: float | None = None,
    lag: float = 0.0,
) -> LoadResult:
    t0, t1 = window
    rtts: list[float] = []
    completed_in_window = 0
    for sent, done in zip(recorder.sent, recorder.done, strict=True):
        if t0 <= done < t1:
            completed_in_window += 1
            if not by_send_time:
                rtts.append(done - sent)
        if by_send_time and t0 <= sent < t1:
            rtts.append(done - sent)
    lost = 0
    if by_send_time:
        # Still unanswered after the drain: counted as infinitely slow.
        lost = sum(1 for p in pairs for sent in p.pending.values() if t0 <= sent < t1)
        rtts.extend([math.inf] * lost)
    rtts.sort()
    a, b = cpu
    wall = b.wall - a.wall
    server_cpu = (b.server - a.server) / wall
    generator_cpu = (b.generator - a.generator) / wall
    clients = list({id(c): c for p in pairs for c in (p.shopper, p.csr)}.values())
    errors = [c for c in clients if c.ack_errors]
    return LoadResult(
        mode=mode,
        conversations=len(pairs),
        seconds=t1 - t0,
        offered_msgs_per_s=offered,
        msgs_per_s=2 * completed_in_window / (t1 - t0),
        p50_ms=percentile(rtts, 50) * 1000,
        p99_ms=percentile(rtts, 99) * 1000,
        max_ms=(rtts[-1] if rtts else math.nan) * 1000,
        round_trips=len(rtts) - lost,
        lost=lost,
        ack_errors=sum(c.ack_errors for c in errors),
        last_error=errors[-1].last_error if errors else "",
        server_cpu=server_cpu,
        server_loop_cpu=(b.server_main - a.server_main) / wall,
        generator_cpu=generator_cpu,
        other_cpu=max(0.0, (b.machine_busy - a.machine_busy) / wall - server_cpu - generator_cpu),
        schedule_lag_ms=lag * 1000,
        round_trip_times=rtts,
    )


def pool(results: Sequence[LoadResult]) -> LoadResult:
    """Several runs of one load as one: percentiles over all their round trips together, rates
    and processor shares averaged over their windows, errors and losses added up."""
    first = results[0]
    if len(results) == 1:
        return first
    rtts = sorted(t for r in results for t in r.round_trip_times)
    seconds = sum(r.seconds for r in results)

    def mean(value: Callable[[LoadResult], float]) -> float:
        return sum(value(r) * r.seconds for r in results) / seconds

    errors = [r for r in results if r.ack_errors]
    return LoadResult(
        mode=first.mode,
        conversations=first.conversations,
        seconds=seconds,
        offered_msgs_per_s=first.offered_msgs_per_s,
        msgs_per_s=mean(lambda r: r.msgs_per_s),
        p50_ms=percentile(rtts, 50) * 1000,
        p99_ms=percentile(rtts, 99) * 1000,
        max_ms=(rtts[-1] if rtts else math.nan) * 1000,
        round_trips=sum(r.round_trips for r in results),
        lost=sum(r.lost for r in results),
        ack_errors=sum(r.ack_errors for r in results),
        last_error=errors[-1].last_error if errors else "",
        server_cpu=mean(lambda r: r.server_cpu),
        server_loop_cpu=mean(lambda r: r.server_loop_cpu),
        generator_cpu=mean(lambda r: r.generator_cpu),
        other_cpu=mean(lambda r: r.other_cpu),
        schedule_lag_ms=max(r.schedule_lag_ms for r in results),
        round_trip_times=rtts,
    )


def _reset(pairs: Sequence[Pair], recorder: Recorder) -> None:
    for p in pairs:
        p.pending.clear()
        p.recorder = recorder
        p.shopper.ack_errors = p.csr.ack_errors = 0


async def closed_loop(
    server: Server,
    pairs: Sequence[Pair],
    *,
    warmup: float,
    duration: float,
    drain: float = 10.0,
    on_measure: Callable[[], object] | None = None,
) -> LoadResult:
    """Every conversation keeps one round trip in flight: the server's peak throughput.
    ``on_measure`` is called when the measured window opens (to start a profiler)."""
    recorder = Recorder(closed_loop=True)
    _reset(pairs, recorder)
    cpu = _Cpu(server)
    for p in pairs:
        p.ping()
    await asyncio.sleep(warmup)
    if on_measure is not None:
        on_measure()
    first = cpu.sample()
    await asyncio.sleep(duration)
    last = cpu.sample()
    recorder.stopping = True
    await _drain(pairs, drain)
    return _result("closed", pairs, recorder, (first.wall, last.wall), False, (first, last))


async def paced(
    server: Server,
    pairs: Sequence[Pair],
    msgs_per_s: float,
    *,
    warmup: float,
    duration: float,
    drain: float = 10.0,
) -> LoadResult:
    """Open loop: round trips start on a fixed schedule, whether or not earlier ones have come
    back, spread over the conversations in turn. Latency is counted over the round trips sent
    in the window; any still unanswered after ``drain`` seconds count as infinitely slow."""
    recorder = Recorder(closed_loop=False)
    _reset(pairs, recorder)
    cpu = _Cpu(server)
    rate = msgs_per_s / 2  # round trips per second
    n = len(pairs)
    start = time.perf_counter()
    measure_from = start + warmup
    end = measure_from + duration
    sent = 0
    lag = 0.0
    first: _Sample | None = None
    while True:
        now = time.perf_counter()
        if first is None and now >= measure_from:
            first = cpu.sample()
        if now >= end:
            break
        due = int((now - start) * rate)
        if due > sent and now >= measure_from:
            lag = max(lag, now - (start + (sent + 1) / rate))
        while sent < due:
            pairs[sent % n].ping()
            sent += 1
        await asyncio.sleep(0.0005)
    last = cpu.sample()
    assert first is not None
    await _drain(pairs, drain)
    return _result(
        "paced", pairs, recorder, (measure_from, end), True, (first, last), msgs_per_s, lag
    )


@dataclass
class MemoryPoint:
    connections: int
    rss_bytes: int
    per_connection_bytes: float


@dataclass
class MemoryResult:
    server: str
    baseline_rss: int
    points: list[MemoryPoint]
    deflate_negotiated: bool
    connect_seconds: float


async def idle_connections(
    server: Server,
    connect_one: Callable[[], Awaitable[SioClient]],
    counts: Sequence[int],
    *,
    concurrency: int = 50,
) -> MemoryResult:
    """Resident memory of the server per idle connection: RSS after connecting ``counts[i]``
    clients, less the RSS before the first, divided by the number connected. A few clients
    connect and leave first, so that what is allocated once (lazy imports, first buffers) is
    not charged to the connections."""
    warm = await asyncio.gather(*(connect_one() for _ in range(20)))
    for c in warm:
        c.close()
    await server.settle()
    baseline = server.rss()
    clients: list[SioClient] = []
    points: list[MemoryPoint] = []
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            clients.append(await connect_one())

    began = time.perf_counter()
    try:
        for target in counts:
            await asyncio.gather(*(one() for _ in range(target - len(clients))))
            await server.settle()
            rss = server.rss()
            points.append(MemoryPoint(target, rss, (rss - baseline) / target))
        elapsed = time.perf_counter() - began
        return MemoryResult(
            server=server.name,
            baseline_rss=baseline,
            points=points,
            deflate_negotiated=bool(clients) and clients[0].deflate,
            connect_seconds=elapsed,
        )
    finally:
        for c in clients:
            c.close()
