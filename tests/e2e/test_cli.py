"""The ``careline`` command as an operator uses it."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.e2e.processes import free_port, wait_for_port


def careline(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "web.cli", *args],
        env={**os.environ, **env, "LOG_LEVEL": "WARNING"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_accounts_from_the_command_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    assert careline("migrate", env=env).returncode == 0
    added = careline(
        "user",
        "add",
        "dana",
        "--name",
        "Dana Smith",
        "--role",
        "lead",
        "--queues",
        "general,returns",
        "--password-stdin",
        env=env,
        stdin="a-long-password\n",
    )
    assert added.returncode == 0, added.stderr
    assert "Created lead dana (Dana Smith)" in added.stdout
    again = careline("user", "add", "dana", "--password", "another-password", env=env)
    assert again.returncode == 2 and "already a CSR called 'dana'" in again.stderr
    short = careline("user", "add", "eve", "--password", "short", env=env)
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    unknown = careline(
        "user", "add", "finn", "--password", "password-123", "--queues", "nope", env=env
    )
    assert unknown.returncode == 2 and "no queue called 'nope'" in unknown.stderr
    listed = careline("user", "list", env=env).stdout
    assert "dana" in listed and "general,returns" in listed and "active" in listed
    assert "eve" not in listed and "finn" not in listed
    assert careline("user", "disable", "dana", env=env).returncode == 0
    assert "disabled" in careline("user", "list", env=env).stdout


def test_demo_seeds_serves_and_prints_the_logins(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "web.cli",
            "demo",
            "--port",
            str(port),
            "--database",
            str(tmp_path / "demo.db"),
        ],
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.status == 200
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/auth/login",
            data=b'{"username": "alex", "password": "alex-demo-pass"}',
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/console" in output
    assert "alex   / alex-demo-pass" in output
    assert "lee    / lee-demo-pass" in output
