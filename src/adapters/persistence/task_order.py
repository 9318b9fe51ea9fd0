"""The sort keys of task listings as SQL, shared by the queries and the migration that indexes
them: Postgres uses an expression index only for the very same expression."""

from __future__ import annotations

# Tasks without a due date sort as the far future: last ascending, first descending, and a key
# that a cursor can carry and an index can order.
UNDATED_SQL = {
    "postgresql": "'9999-12-31 23:59:59.999999+00'::timestamptz",
    # SQLAlchemy stores SQLite datetimes as text in this layout.
    "sqlite": "'9999-12-31 23:59:59.999999'",
}


def due_key_sql(dialect: str, column: str) -> str:
    return f"COALESCE({column}, {UNDATED_SQL[dialect]})"


def urgency_sql(column: str) -> str:
    """Ascending urgency: high, then medium, then low."""
    # Parenthesised: Postgres indexes an expression that is not a function call only so.
    return f"(CASE {column} WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)"
