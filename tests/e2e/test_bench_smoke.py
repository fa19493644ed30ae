"""``python -m bench`` runs end to end: a tiny configuration of the real benchmark (both servers,
the relay load, idle connections), printing the side-by-side figures and the ratios."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_and_prints_both_servers_and_the_ratios(tmp_path: Path) -> None:
    output = tmp_path / "performance.md"
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--conversations",
            "3",
            "--warmup",
            "0.3",
            "--duration",
            "1",
            "--idle",
            "20",
            "--skip-writepath",
            "--port",
            "18900",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "bare relay  closed loop,    3 conversations:" in out
    assert "Careline    closed loop,    3 conversations:" in out
    assert "throughput ratio Careline / relay:" in out
    assert "p99 ratio at half the relay's peak:" in out
    assert "Careline                       20 idle connections:" in out
    assert "errors 0" in out
    written = output.read_text()
    for round_ in (1, 2):  # two rounds by default, the servers taking turns
        assert f"| bare relay | {round_} | 3 | closed loop |" in written
        assert f"| Careline | {round_} | 3 | closed loop |" in written
        # The paced rounds (an offered rate, not a closed loop), taking turns as well.
        assert re.search(rf"\| bare relay \| {round_} \| 3 \| [0-9,]+ \|", written)
        assert re.search(rf"\| Careline \| {round_} \| 3 \| [0-9,]+ \|", written)
    # Then each server's paced rounds pooled.
    assert "| bare relay | all | 3 |" in written
    assert "| Careline | all | 3 |" in written
    assert "memory per idle widget at 20 connections" in written
