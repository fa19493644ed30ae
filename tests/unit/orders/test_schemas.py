"""The models in and out of the order desk make a valid JSON Schema (the OpenAPI document is
generated from them), and money and times travel as strings."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, datetime
from decimal import Decimal
from types import ModuleType

import pytest
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

import customers.schemas
import orders.catalog.schemas
import orders.schemas.commands
import orders.schemas.views
from orders.schemas.commands import Appease, ChangeToPickup
from tests.unit.orders.builders import World

MODULES: list[ModuleType] = [
    customers.schemas,
    orders.catalog.schemas,
    orders.schemas.commands,
    orders.schemas.views,
]


def models() -> list[type[BaseModel]]:
    found = []
    for module in MODULES:
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found.append(value)
    return found


@pytest.mark.parametrize("mode", ["validation", "serialization"])
def test_every_model_has_a_json_schema(mode: str) -> None:
    all_models = models()
    assert len(all_models) > 100
    _, schema = models_json_schema([(m, mode) for m in all_models])  # type: ignore[misc]
    json.dumps(schema)
    assert "OrderView" in schema["$defs"] and "Appease" in schema["$defs"]


def test_money_is_a_decimal_string_and_bad_money_is_refused() -> None:
    cmd = Appease.model_validate_json(
        '{"amount": "12.50", "reason": "goodwill", "idempotency_key": "abcdefgh"}'
    )
    assert cmd.amount == Decimal("12.50")
    assert json.loads(cmd.model_dump_json())["amount"] == "12.50"
    with pytest.raises(ValueError, match="decimal"):
        Appease.model_validate_json(
            '{"amount": "12.505", "reason": "goodwill", "idempotency_key": "abcdefgh"}'
        )
    with pytest.raises(ValueError, match="extra"):
        Appease.model_validate_json(
            '{"amount": "1", "reason": "goodwill", "idempotency_key": "abcdefgh", "x": 1}'
        )
    with pytest.raises(ValueError, match="date"):
        ChangeToPickup.model_validate_json(
            '{"line_id": "l", "store_id": "s", "pickup_date": "next tuesday"}'
        )


async def test_an_order_as_json(world: World) -> None:
    order = await world.placed([(world.jacket_m, 1)])
    body = json.loads(order.model_dump_json())
    # 80.00, 7.95 shipping (under 100.00), 6.25% tax on both.
    assert body["totals"]["grand_total"] == "93.45"
    assert body["lines"][0]["unit_price"] == "80.00"
    assert body["created_at"] == "2026-03-02T15:00:00Z"
    assert datetime.fromisoformat(body["created_at"]) == datetime(2026, 3, 2, 15, tzinfo=UTC)
    assert body["status"] == "created" and body["version"] == 2
