"""The benchmark's verdicts: a latency target measured against a relay that was itself
saturated at the paced rate says so instead of passing quietly."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.load import LoadResult
from bench.report import Run, summary
from tests.unit.bench.results import paced_result


def _paced(p99_ms: float, cpu: float) -> LoadResult:
    return paced_result(12.0, [0.002] * 9500 + [p99_ms / 1000] * 100, server_cpu=cpu)


def _latency_target(run: Run) -> tuple[bool | None, str]:
    (target,) = [t for t in run.targets() if t.name.startswith("p99")]
    return target.passed, target.caveat


def test_a_relay_with_headroom_gives_a_plain_verdict() -> None:
    run = Run(command="", started=datetime.now(UTC), options={})
    run.relay_paced, run.careline_paced = _paced(16.0, 0.71), _paced(38.0, 1.19)
    assert _latency_target(run) == (False, "")
    assert "FAIL  p99 round trip" in summary(run)


def test_a_saturated_relay_makes_the_verdict_inconclusive() -> None:
    run = Run(command="", started=datetime.now(UTC), options={})
    run.relay_paced, run.careline_paced = _paced(178.0, 0.94), _paced(198.0, 1.33)
    passed, caveat = _latency_target(run)
    assert passed is True
    assert "94% of its core" in caveat
    assert "inconclusive: the relay used 94% of its core" in summary(run)
