"""Paced rounds pooled: the percentiles are over every round trip of every round, not an
average of each round's."""

from __future__ import annotations

import math

from bench.load import pool
from tests.unit.bench.results import paced_result as _run


def test_one_slow_round_weighs_as_much_as_it_lasted() -> None:
    quick = _run(6.0, [0.001] * 990 + [0.002] * 10)
    slow = _run(6.0, [0.001] * 950 + [0.100] * 50)
    pooled = pool([quick, slow])
    assert slow.p99_ms == 100.0
    # 50 slow round trips of 2,000: 2.5%, so the pooled p99 is still slow, the p50 quick.
    assert pooled.p99_ms == 100.0
    assert pooled.p50_ms == 1.0
    assert pooled.max_ms == 100.0
    assert pooled.round_trips == 2000
    assert pooled.seconds == 12.0
    assert pooled.schedule_lag_ms == 6.0

    few_slow = _run(6.0, [0.001] * 995 + [0.100] * 5)
    assert pool([quick, few_slow]).p99_ms == 1.0  # 5 (and 10 at 2 ms) of 2,000: under 1%


def test_unanswered_round_trips_and_errors_are_added_up() -> None:
    pooled = pool([_run(6.0, [0.001] * 100, lost=2), _run(6.0, [0.001] * 100, errors=1)])
    assert pooled.lost == 2
    assert pooled.ack_errors == 1
    assert pooled.last_error == "rate_limited"
    assert math.isinf(pooled.max_ms)


def test_a_single_round_is_its_own_pool() -> None:
    only = _run(6.0, [0.001, 0.002])
    assert pool([only]) is only
