"""The commerce migration builds exactly the schema the code declares, on both engines."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from orders.tables import metadata


def _differences(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    commerce = set(metadata.tables)

    def ours(diff: Any) -> bool:
        item = diff[0] if isinstance(diff, list) else diff
        for part in item[1:]:
            name = getattr(part, "name", None) or getattr(
                getattr(part, "table", None), "name", None
            )
            if isinstance(part, str) and part in commerce:
                return True
            if name in commerce or getattr(getattr(part, "table", None), "name", None) in commerce:
                return True
        return False

    return [d for d in compare_metadata(context, metadata) if ours(d)]


async def test_no_drift_between_the_migration_and_the_tables(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == []
