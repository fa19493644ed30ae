"""Browser tests: a real ``careline demo`` server in a subprocess and Debian's Chromium driven by
Playwright. Every test gets a fresh server (its own SQLite file) so queues start empty.

Chromium is ``/usr/bin/chromium`` (``CARELINE_CHROMIUM`` overrides); the front-end must be built
(``scripts/build-frontend``), and is built here if it is not.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[3]
DIST = ROOT / "web" / "static" / "dist"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CARELINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _careline_command() -> list[str]:
    script = Path(sys.executable).parent / "careline"
    return [str(script)] if script.exists() else [sys.executable, "-m", "web.cli"]


STOREFRONT_SECRET = "browser-test-storefront-secret"


class DemoServer:
    def __init__(self, workdir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "server.log"
        env = {
            **os.environ,
            "CARELINE_SECRET": "browser-test-secret-of-enough-length",
            "STOREFRONT_SECRET": STOREFRONT_SECRET,
            "LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        self.database = workdir / "demo.db"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                *_careline_command(),
                "demo",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--database",
                str(self.database),
            ],
            cwd=workdir,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"careline demo exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"careline demo not ready after {timeout}s:\n{self.log()}")

    def demo_customer(self) -> dict[str, Any]:
        """A customer of the demo shop: the first seeded one, or one registered here."""
        with urllib.request.urlopen(f"{self.url}/shop/demo/customers", timeout=5) as response:
            items: list[dict[str, Any]] = json.loads(response.read())["items"]
        if items:
            return items[0]
        # Playwright's sync API keeps an event loop on this thread: run ours on another.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, self._register_customer()).result(timeout=60)

    async def _register_customer(self) -> dict[str, Any]:
        from customers.schemas import RegisterCustomer
        from web.bootstrap import bootstrap
        from web.settings import Settings

        settings = Settings(DATABASE_URL=f"sqlite+aiosqlite:///{self.database}")
        services = bootstrap(settings, sockets=False)
        try:
            view = await services.commerce.register_customer(
                RegisterCustomer(first_name="Casey", last_name="Rivers", email="casey@example.com")
            )
        finally:
            await services.aclose()
        return {"id": view.id, "name": view.name, "email": view.email}

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture(scope="session")
def frontend_built() -> Path:
    if not (DIST / "widget.js").is_file() or not (DIST / "console.html").is_file():
        subprocess.run([str(ROOT / "scripts" / "build-frontend")], check=True, cwd=ROOT)
    assert (DIST / "widget.js").is_file(), "the front-end build produced no widget.js"
    return DIST


@pytest.fixture
def demo_server(frontend_built: Path, tmp_path: Path) -> Iterator[DemoServer]:
    server = DemoServer(tmp_path)
    try:
        yield server
    finally:
        server.stop()


# Module scope, not session: Playwright's sync API keeps an event loop running in the main thread
# while it is started, and the asyncio tests that follow the browser modules need it gone.
@pytest.fixture(scope="module")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), (
        f"Chromium is needed at {CHROMIUM} (apt-get install chromium)"
    )
    browser = playwright_session.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
