"""Dataclasses to table rows and back, and writing an aggregate's rows as a diff.

Field names are column names. Enums are stored by value, nested value objects (an address) as
JSON objects, lists are child rows in their own tables. Writing compares the rows an aggregate
has now with the rows it was read from, and inserts, updates or deletes only what differs.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import Table, delete, insert, update
from sqlalchemy.ext.asyncio import AsyncConnection

T = TypeVar("T")
Row = dict[str, Any]
Rows = dict[str, dict[str, Row]]


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _plain(value: Any) -> Any:
    """A value as a column holds it."""
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _json(value: Any) -> Any:
    """A value inside a JSON column."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return _plain(value)


def to_row(obj: Any, columns: Iterable[str], **extra: Any) -> Row:
    row = {name: _plain(getattr(obj, name)) for name in columns if name not in extra}
    row.update(extra)
    return row


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(args[0], value) if len(args) == 1 else value
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return hint(value)
        if dataclasses.is_dataclass(hint) and isinstance(value, Mapping):
            inner = _hints(hint)
            return hint(**{k: _convert(inner[k], v) for k, v in value.items() if k in inner})
        if hint is Decimal and not isinstance(value, Decimal):
            return Decimal(str(value))
        if hint is date and isinstance(value, str):
            return date.fromisoformat(value)
        if hint is datetime and isinstance(value, str):
            return datetime.fromisoformat(value)
    return value


def from_row(cls: type[T], row: Mapping[Any, Any], **overrides: Any) -> T:
    """Build ``cls`` from the row's columns that are fields of it (others are ignored)."""
    hints = _hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values = {k: _convert(hints[k], v) for k, v in row.items() if k in fields}
    values.update(overrides)
    return cls(**values)


def columns_of(table: Table, *skip: str) -> list[str]:
    return [c.name for c in table.columns if c.name not in skip]


async def write_diff(
    conn: AsyncConnection, tables: Iterable[Table], old: Rows, new: Rows, key: str = "id"
) -> None:
    """Make the stored rows of ``tables`` go from ``old`` to ``new`` (each: table name ->
    row key -> row). Tables are given parents first; deletes run children first."""
    ordered = list(tables)
    for table in reversed(ordered):
        before, after = old.get(table.name, {}), new.get(table.name, {})
        gone = [k for k in before if k not in after]
        if gone:
            await conn.execute(delete(table).where(table.c[key].in_(gone)))
    for table in ordered:
        before, after = old.get(table.name, {}), new.get(table.name, {})
        added = [row for k, row in after.items() if k not in before]
        if added:
            await conn.execute(insert(table), added)
        for k, row in after.items():
            if k in before and before[k] != row:
                changed = {c: v for c, v in row.items() if before[k].get(c) != v}
                await conn.execute(update(table).where(table.c[key] == k).values(**changed))
