"""``python -m bench``: Careline against a bare python-socketio relay, on this machine, in one run.

1. Relay: shopper <-> CSR ping-pong over N conversations (websocket), closed loop (peak
   throughput) and paced open loop at half the bare relay's peak (latency), against the bare
   relay and then against ``careline serve`` on a fresh SQLite database.
2. Idle connections: server RSS per connected widget at 1,000 and 5,000 connections.

Each server runs in its own process; one load generator drives both. The figures are printed
and written into docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import resource
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import psutil  # type: ignore[import-untyped]

from bench import profile, report, writepath
from bench.careline_setup import CHATS_PER_CSR, open_conversations, prepare_database
from bench.load import LoadResult, Pair, closed_loop, idle_connections, paced, pool
from bench.servers import HOST, RATE_PER_SECOND, Server, start_careline, start_relay
from bench.wsclient import SioClient, connect

ROOT = Path(__file__).resolve().parent.parent


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--conversations",
        type=_ints,
        default=[50, 200],
        help="closed-loop concurrency levels, comma-separated; the peak is the best of them "
        "(default 50,200)",
    )
    parser.add_argument(
        "--paced-conversations",
        type=int,
        default=None,
        help="conversations for the paced run (default: the largest of --conversations)",
    )
    parser.add_argument(
        "--rounds",
        type=_positive,
        default=2,
        help="rounds: each closed-loop round runs every concurrency level on the relay, then "
        "on Careline (the peak is the best of all); each paced round runs the relay, then "
        "Careline (the latency is over the round trips of all rounds) (default 2)",
    )
    parser.add_argument(
        "--relay-transport",
        choices=("library", "careline"),
        default="library",
        help="the relay's websockets: python-engineio's own without deflate (default), or "
        "Careline's websocket writer, for context",
    )
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--duration", type=float, default=6.0, help="seconds measured per run")
    parser.add_argument(
        "--idle", type=_ints, default=[1000, 5000], help="idle connection counts (1000,5000)"
    )
    parser.add_argument("--skip-load", action="store_true", help="no relay load")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-writepath", action="store_true")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also sample each server with py-spy during an extra closed-loop run (not counted) "
        "and split its event-loop time by part of the stack",
    )
    parser.add_argument("--port", type=int, default=18600, help="first port to use")
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "performance.md",
        help="the file to write the figures into",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait, up to this long, until other processes use under 20%% of a core",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the work directory (database, server logs)"
    )
    return parser.parse_args(argv)


def machine_busy_elsewhere(seconds: float = 2.0) -> float:
    """CPU used by every process but this one over ``seconds``, in shares of one core."""
    me = psutil.Process()

    def sample() -> tuple[float, float]:
        t = psutil.cpu_times()
        mine = me.cpu_times()
        return sum(t) - t.idle - getattr(t, "iowait", 0.0), mine.user + mine.system

    (busy0, mine0), began = sample(), time.perf_counter()
    time.sleep(seconds)
    busy1, mine1 = sample()
    return max(0.0, (busy1 - busy0 - (mine1 - mine0)) / (time.perf_counter() - began))


def raise_open_files_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft < needed:
        print(f"warning: only {soft} open files allowed; {needed} wanted", file=sys.stderr)


def _csr_groups(count: int) -> list[range]:
    """Conversations ``0..count-1`` in groups of ``CHATS_PER_CSR``: one CSR per group."""
    return [range(i, min(i + CHATS_PER_CSR, count)) for i in range(0, count, CHATS_PER_CSR)]


async def relay_pairs(port: int, count: int) -> list[Pair]:
    async def group(members: range) -> list[Pair]:
        rooms = [f"c{i}" for i in members]
        shoppers = [await connect(HOST, port, "/", {"rooms": [room]}) for room in rooms]
        csr = await connect(HOST, port, "/", {"rooms": rooms})
        return [Pair(room, shopper, csr) for room, shopper in zip(rooms, shoppers, strict=True)]

    return await _bounded([functools.partial(group, g) for g in _csr_groups(count)], 20)


async def careline_pairs(port: int, tokens: list[str], count: int) -> list[Pair]:
    async def group(index: int, members: range) -> list[Pair]:
        opened = await open_conversations(HOST, port, members[0], len(members), tokens[index])
        return [Pair(conversation_id, shopper, csr) for conversation_id, shopper, csr in opened]

    groups = _csr_groups(count)
    return await _bounded([functools.partial(group, i, g) for i, g in enumerate(groups)], 4)


async def _bounded(jobs: list[Callable[[], Awaitable[list[Pair]]]], limit: int) -> list[Pair]:
    """Run ``jobs`` with at most ``limit`` at a time; their pairs, in order."""
    gate = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Awaitable[list[Pair]]]) -> list[Pair]:
        async with gate:
            return await job()

    return [pair for group in await asyncio.gather(*(run(j) for j in jobs)) for pair in group]


async def profile_run(
    name: str, server: Server, pairs: list[Pair], args: argparse.Namespace, run: report.Run
) -> None:
    out = Path(tempfile.mkdtemp(prefix="careline-bench-profile-")) / f"{name}.raw"
    spy: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        started = profile.record(server.proc.pid, args.duration, out)
        if started is not None:
            spy.append(started)

    result = await closed_loop(
        server, pairs, warmup=args.warmup, duration=args.duration, on_measure=start
    )
    if not spy:
        print("  (py-spy is not installed: no profile)", flush=True)
        return
    spy[0].wait(timeout=60)
    if not out.exists():
        print("  (py-spy wrote no profile)", flush=True)
        return
    prof = profile.parse(out, args.duration)
    messages = int(result.msgs_per_s * args.duration)
    run.profiles.append(report.ProfileFigures(name, result, prof, messages))
    print(f"  {name}: event-loop thread under closed-loop load ({result.msgs_per_s:,.0f} msg/s)")
    for row in profile.table(name, prof, messages):
        print("   ", row)
    shutil.rmtree(out.parent, ignore_errors=True)


async def closed_loops(
    sides: Sequence[tuple[str, Server, list[Pair], list[LoadResult]]],
    args: argparse.Namespace,
    run: report.Run,
) -> None:
    """Every concurrency level on each server in turn, ``args.rounds`` times: the servers are
    measured minutes apart at most, so a machine whose speed drifts (a shared host) favours
    neither."""
    for round_ in range(1, args.rounds + 1):
        for n in args.conversations:
            for name, server, pairs, results in sides:
                result = await closed_loop(
                    server, pairs[:n], warmup=args.warmup, duration=args.duration
                )
                print(
                    f"  round {round_}, {name}: closed loop, {n} conversations: "
                    f"{result.msgs_per_s:,.0f} msg/s, p50 {result.p50_ms:.2f} ms, "
                    f"p99 {result.p99_ms:.2f} ms, errors {result.ack_errors}, "
                    f"server CPU {result.server_cpu * 100:.0f}%, "
                    f"generator CPU {result.generator_cpu * 100:.0f}%, "
                    f"other processes {result.other_cpu * 100:.0f}%",
                    flush=True,
                )
                if result.ack_errors:
                    print(f"    last error: {result.last_error}", flush=True)
                results.append(result)
    if args.profile:
        for name, server, pairs, _ in sides:
            await profile_run(name, server, pairs[: max(args.conversations)], args, run)


async def paced_run(
    name: str, server: Server, pairs: list[Pair], rate: float, args: argparse.Namespace
) -> LoadResult:
    n = args.paced_conversations or max(args.conversations)
    result = await paced(server, pairs[:n], rate, warmup=args.warmup, duration=args.duration)
    print(
        f"  {name}: paced {rate:,.0f} msg/s, {n} conversations: achieved "
        f"{result.msgs_per_s:,.0f} msg/s, p50 {result.p50_ms:.2f} ms, "
        f"p99 {result.p99_ms:.2f} ms, unanswered {result.lost}, errors {result.ack_errors}, "
        f"server CPU {result.server_cpu * 100:.0f}%, other processes {result.other_cpu * 100:.0f}%",
        flush=True,
    )
    return result


async def bench(args: argparse.Namespace, run: report.Run, workdir: Path) -> None:
    servers: list[Server] = []
    port = args.port
    pairs_needed = max([*args.conversations, args.paced_conversations or 0])

    def started(server: Server) -> Server:
        servers.append(server)
        return server

    async def stop(server: Server, clients: Sequence[Pair] = ()) -> None:
        for pair in clients:
            pair.close()
        await asyncio.sleep(0.2)
        server.stop()

    try:
        database = workdir / "careline-bench.db"
        database_url = f"sqlite+aiosqlite:///{database}"
        secret = secrets.token_urlsafe(32)
        csrs = len(_csr_groups(pairs_needed))
        print(f"Careline: preparing {database} with {csrs} CSRs", flush=True)
        tokens = await prepare_database(database_url, secret, csrs)

        if not args.skip_load:
            # Both servers stay up through the load phase (the one not under load idles).
            relay = started(start_relay(port, workdir, args.relay_transport))
            careline = started(start_careline(port + 1, workdir, database_url, secret))
            port += 2
            await relay.wait_ready()
            await careline.wait_ready()
            began = time.perf_counter()
            relay_clients = await relay_pairs(relay.port, pairs_needed)
            careline_clients = await careline_pairs(careline.port, tokens, pairs_needed)
            print(
                f"{pairs_needed} conversations opened on each server in "
                f"{time.perf_counter() - began:.1f} s ({CHATS_PER_CSR} per CSR)",
                flush=True,
            )
            print("peak throughput (closed loop)", flush=True)
            sides = [
                ("relay", relay, relay_clients, run.relay_closed),
                ("Careline", careline, careline_clients, run.careline_closed),
            ]
            await closed_loops(sides, args, run)
            relay_peak = max(r.msgs_per_s for r in run.relay_closed)
            careline_peak = max(r.msgs_per_s for r in run.careline_closed)
            if careline_peak < relay_peak * 0.6:
                # First, while Careline has no backlog: latency at a load it can carry.
                print(f"for context: at half Careline's peak ({careline_peak / 2:,.0f} msg/s)")
                run.context_paced = [
                    await paced_run("relay", relay, relay_clients, careline_peak / 2, args),
                    await paced_run(
                        "Careline", careline, careline_clients, careline_peak / 2, args
                    ),
                ]
            print(f"latency at half the relay's peak ({relay_peak / 2:,.0f} msg/s, paced)")
            # Round after round, relay then Careline, as the closed loops: each server's p99
            # is over the round trips of all its rounds, so one unlucky moment of the machine
            # (or of either server) weighs as much as it lasted.
            for _ in range(args.rounds):
                run.relay_paced_rounds.append(
                    await paced_run("relay", relay, relay_clients, relay_peak / 2, args)
                )
                run.careline_paced_rounds.append(
                    await paced_run("Careline", careline, careline_clients, relay_peak / 2, args)
                )
            run.relay_paced = pool(run.relay_paced_rounds)
            run.careline_paced = pool(run.careline_paced_rounds)
            await stop(relay, relay_clients)
            await stop(careline, careline_clients)

        if not args.skip_writepath:
            print("write path: storing a message, two ways (in process, no sockets)", flush=True)
            run.writepath = await writepath.measure(workdir)
            for f in run.writepath:
                print(
                    f"  {f.name}, {f.producers} sender(s): {f.us_per_message:,.0f} us/message, "
                    f"{f.per_second:,.0f} msg/s, {f.hops_per_message:.2f} hand-offs/message, "
                    f"{f.mean_batch:.1f} messages/commit",
                    flush=True,
                )

        if not args.skip_memory:
            targets: list[
                tuple[str, Callable[[int], Server], Callable[[int], Awaitable[SioClient]]]
            ]

            async def plain(p: int) -> SioClient:
                return await connect(HOST, p, "/", {"rooms": ["lobby"]})

            async def widget(p: int) -> SioClient:
                client = await connect(HOST, p, "/customer", {})
                await client.wait_event("session")
                return client

            targets = [
                ("relay", lambda p: start_relay(p, workdir), plain),
                ("relay-deflate", lambda p: start_relay(p, workdir, "deflate"), plain),
                (
                    "careline",
                    lambda p: start_careline(p, workdir, database_url, secret),
                    widget,
                ),
            ]
            for label, start, connect_one in targets:
                port += 1
                print(f"{label}: idle connections {args.idle}", flush=True)
                server = started(start(port))
                await server.wait_ready()
                result = await idle_connections(
                    server, functools.partial(connect_one, port), args.idle
                )
                for point in result.points:
                    print(
                        f"  {label}: {point.connections:,} connections, "
                        f"{point.per_connection_bytes / 1024:.1f} KiB each",
                        flush=True,
                    )
                run.memory.append(result)
                await stop(server)
    finally:
        for server in servers:
            server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    raise_open_files_limit(2 * max([*args.idle, 2 * max(args.conversations)]) + 1024)
    shown = list(argv if argv is not None else sys.argv[1:])
    program = os.environ.get("CARELINE_BENCH_COMMAND", ".venv/bin/python -m bench")
    command = " ".join([program, shlex.join(shown)]).strip()
    run = report.Run(
        command=command,
        started=report.now(),
        options={
            "conversations": ",".join(map(str, args.conversations)),
            "rounds": args.rounds,
            "relay websockets": args.relay_transport,
            "warmup": f"{args.warmup:g}s",
            "duration": f"{args.duration:g}s",
            "idle": ",".join(map(str, args.idle)),
            "Careline rate limit": f"{RATE_PER_SECOND:,} events/s per connection",
        },
    )
    busy = machine_busy_elsewhere()
    deadline = time.monotonic() + args.wait_quiet
    while busy > 0.2 and time.monotonic() < deadline:
        print(f"waiting for a quieter machine (others use {busy * 100:.0f}% of a core)")
        busy = machine_busy_elsewhere(5.0)
    run.options["other processes at start"] = f"{busy * 100:.0f}% of a core"
    if busy > 0.2:
        print(
            f"warning: other processes use {busy * 100:.0f}% of a core; the figures will be "
            "lower and noisier than on a quiet machine",
            file=sys.stderr,
        )
    began = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="careline-bench-"))
    try:
        asyncio.run(bench(args, run, workdir))
    finally:
        if args.keep:
            print(f"work directory kept: {workdir}")
        else:
            with contextlib.suppress(OSError):
                shutil.rmtree(workdir)
    run.seconds = time.perf_counter() - began
    print()
    print(report.summary(run))
    if not args.no_write:
        report.write(run, args.output)
        print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
