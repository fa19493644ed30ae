from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.care import Care, make_care


@pytest.fixture
async def care(engine: AsyncEngine) -> Care:
    return await make_care(engine)
