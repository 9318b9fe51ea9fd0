"""Naming the constraint an IntegrityError broke, on Postgres and on SQLite alike."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from todo_api.adapters.persistence.tables import metadata

_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '([^']+)'")
_SQLITE_COLUMNS = re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)")


def violated_constraint(error: IntegrityError) -> str | None:
    """The constraint's name, from Postgres' diagnostics or from SQLite's message."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return str(diag.constraint_name)
    message = str(error.orig)
    if match := _SQLITE_INDEX.search(message):
        return match.group(1)
    if match := _SQLITE_COLUMNS.search(message):
        return _unique_by_columns(match.group(1).split(", "))
    return None


def _unique_by_columns(qualified: list[str]) -> str | None:
    table_name = qualified[0].split(".")[0]
    columns = {name.split(".")[1] for name in qualified}
    table = metadata.tables.get(table_name)
    if table is None:
        return None
    for constraint in table.constraints:
        if (
            isinstance(constraint, sa.UniqueConstraint)
            and set(constraint.columns.keys()) == columns
        ):
            return str(constraint.name)
    return None


@asynccontextmanager
async def translating_violation(constraint: str, error: type[Exception]) -> AsyncIterator[None]:
    """Raise `error` instead of an IntegrityError that broke `constraint`; let others through."""
    try:
        yield
    except IntegrityError as violation:
        if violated_constraint(violation) == constraint:
            raise error from None
        raise
