"""The change feed in SQL: changed task ids and tombstones after a position, below the horizon.

One statement per read, so that the horizon and the rows come from the same snapshot; a
horizon read in a later statement could pass a change committed in between (ADR 0015).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.tables import task_tombstones
from todo_api.application.changes import SyncPosition
from todo_api.domain.ids import UserId

# Postgres: the xmin of this statement's snapshot; every transaction id below it has ended.
_POSTGRES_HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon"
_POSTGRES_NUMBER = "CAST(CAST({} AS text) AS bigint)"
_POSTGRES_AS_XID = "CAST(CAST({} AS text) AS xid8)"
# SQLite: one writer at a time, and the clock is bumped inside the write transaction, so every
# number up to the committed clock is final.
_SQLITE_HORIZON = "SELECT value + 1 AS horizon FROM sync_clock"
_SQLITE_NUMBER = "{}"
_SQLITE_AS_XID = "{}"


# Assembled from this module's constants only; every value is a bound parameter.
def _statement(dialect: str, with_deletions: bool) -> sa.TextClause:
    postgres = dialect == "postgresql"
    horizon = _POSTGRES_HORIZON if postgres else _SQLITE_HORIZON
    number = _POSTGRES_NUMBER if postgres else _SQLITE_NUMBER
    as_xid = _POSTGRES_AS_XID if postgres else _SQLITE_AS_XID
    after = as_xid.format(":after_number")
    changed = f"""
        SELECT {number.format("t.change_seq")} AS number, t.id AS id, 0 AS deleted
        FROM tasks AS t
        WHERE t.user_id = :user_id
          AND (t.change_seq, t.id) > ({after}, :after_id)
          AND t.change_seq < (SELECT horizon FROM horizon)
        ORDER BY t.change_seq, t.id
        LIMIT :limit
    """
    deleted = f"""
        SELECT {number.format("d.change_seq")}, d.task_id, 1
        FROM task_tombstones AS d
        WHERE d.user_id = :user_id
          AND (d.change_seq, d.task_id) > ({after}, :after_id)
          AND d.change_seq < (SELECT horizon FROM horizon)
          AND d.change_seq >= {as_xid.format(":deletions_from")}
        ORDER BY d.change_seq, d.task_id
        LIMIT :limit
    """
    entries = f"SELECT * FROM ({changed}) AS c"
    if with_deletions:
        entries += f" UNION ALL SELECT * FROM ({deleted}) AS d"
    return sa.text(
        f"""
        WITH horizon AS ({horizon})
        SELECT {number.format("h.horizon")} AS horizon, e.number, e.id, e.deleted
        FROM horizon AS h LEFT JOIN ({entries}) AS e ON 1 = 1
        ORDER BY e.number, e.id
        """
    )


async def read_changes(
    connection: AsyncConnection,
    user_id: UserId,
    after: SyncPosition,
    limit: int,
    deletions_from: int | None,
) -> tuple[int, list[tuple[SyncPosition, bool]]]:
    """The horizon, and up to `limit + 1` changes and as many deletions after `after`: each
    entry's position and whether it is a deletion."""
    dialect = connection.dialect.name
    statement = _statement(dialect, with_deletions=deletions_from is not None)
    values = {
        "user_id": user_id.hex if dialect == "sqlite" else user_id,
        "after_number": after.number,
        "after_id": after.task_id,
        "deletions_from": deletions_from or 0,
        "limit": limit + 1,
    }
    rows = (await connection.execute(statement, values)).all()
    horizon = int(rows[0].horizon)
    entries = [
        (SyncPosition(int(row.number), int(row.id)), bool(row.deleted))
        for row in rows
        if row.number is not None
    ]
    return horizon, entries


async def forget_deletions(
    connection: AsyncConnection, user_id: UserId | None, before: datetime
) -> None:
    old = task_tombstones.c.deleted_at < before
    if user_id is not None:
        old = sa.and_(old, task_tombstones.c.user_id == user_id)
    await connection.execute(task_tombstones.delete().where(old))
