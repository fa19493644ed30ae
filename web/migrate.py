"""Schema migrations (Alembic), run in process on the app's own engine.

The care side and the commerce side are two Alembic branches (labels ``care`` and ``commerce``);
``upgrade heads`` brings both up to date.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, target: str = "heads") -> None:
    """Bring the database behind ``engine`` to ``target`` (all branch heads by default)."""

    def _run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), target)

    async with engine.begin() as conn:
        await conn.run_sync(_run)


async def revision(engine: AsyncEngine, message: str, branch: str) -> None:
    """Autogenerate a revision on ``branch`` against the database behind ``engine`` (a dev aid)."""

    def _run(connection: Connection) -> None:
        command.revision(
            alembic_config(connection), message=message, autogenerate=True, head=f"{branch}@head"
        )

    async with engine.begin() as conn:
        await conn.run_sync(_run)
