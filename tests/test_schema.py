"""The migrations build exactly the schema the code declares, on both engines."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from web.schema import all_metadata


async def test_migrations_create_every_declared_table(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    declared = {t.name for m in all_metadata() for t in m.sorted_tables}
    assert declared <= names
    assert "alembic_version" in names
