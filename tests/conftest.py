"""Fixtures shared by every test: real databases, migrated once per run.

``database_url`` (and ``engine`` on top of it) is parametrised over SQLite and PostgreSQL, so a
test that takes it runs against both. PostgreSQL must be reachable (CI starts it); a test run
without it fails rather than silently testing less.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from web.db import create_engine
from web.migrate import upgrade
from web.schema import all_metadata

PG_ADMIN_URL = os.environ.get(
    "CARELINE_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_TEST_URL = os.environ.get("CARELINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _pg_url(database: str) -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test that wants a database."""
    path = tmp_path_factory.mktemp("template") / "careline.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, migrated once, dropped at the end."""
    name = f"careline_test_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        engine = create_engine(PG_ADMIN_URL)
        try:
            async with engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text(sql))
        finally:
            await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = _pg_url(name)
    asyncio.run(_migrate(url))
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# Rows the migrations themselves put in (the seeded care queues) survive between tests.
REFERENCE_TABLES = {"queues"}


async def truncate_all(url: str) -> None:
    tables = [
        t.name for m in all_metadata() for t in m.sorted_tables if t.name not in REFERENCE_TABLES
    ]
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A clean, migrated database: a fresh SQLite file, or the run's PostgreSQL one emptied."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "careline.db"
        shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(truncate_all(url))
    return url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A clean, migrated SQLite database only (for tests whose point is not the engine)."""
    path = tmp_path / "careline.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(database_url)
    yield eng
    await eng.dispose()
