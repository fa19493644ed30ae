"""Paced load results made up for the benchmark's own tests."""

from __future__ import annotations

import math

from bench.load import LoadResult, percentile


def paced_result(
    seconds: float,
    rtts: list[float],
    *,
    lost: int = 0,
    errors: int = 0,
    server_cpu: float = 0.5,
) -> LoadResult:
    """A paced run whose round trips took ``rtts`` seconds (``lost`` more never came back)."""
    times = sorted([*rtts, *[math.inf] * lost])
    return LoadResult(
        mode="paced",
        conversations=200,
        seconds=seconds,
        offered_msgs_per_s=1000.0,
        msgs_per_s=2 * len(rtts) / seconds,
        p50_ms=percentile(times, 50) * 1000,
        p99_ms=percentile(times, 99) * 1000,
        max_ms=times[-1] * 1000,
        round_trips=len(rtts),
        lost=lost,
        ack_errors=errors,
        last_error="rate_limited" if errors else "",
        server_cpu=server_cpu,
        server_loop_cpu=server_cpu,
        generator_cpu=0.2,
        other_cpu=0.0,
        schedule_lag_ms=seconds,
        round_trip_times=times,
    )
