"""Cursor pages stop after `limit` rows on Postgres: the plan walks an index from the position
instead of sorting the user's whole set (issue 12, SPEC 13).

The statement the repository really runs is captured and run again under EXPLAIN ANALYZE, and
every row read from `tasks` is counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.listing import RELEVANCE_WINDOW, SortField, TaskQuery
from todo_api.domain.email import Email
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.task import Priority
from todo_api.domain.user import User

TASKS_PER_USER = 20_000
LIMIT = 20


async def _seed(engine: AsyncEngine) -> UserId:
    """Two users with 20,000 varied tasks each, and fresh statistics."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    users = [
        User.register(email=Email.parse(f"{n}@example.com"), password_hash="h", name=None, now=now)
        for n in ("ann", "bob")
    ]
    async with SqlAlchemyUnitOfWork(engine) as uow:
        for user in users:
            await uow.users.add(user)
        await uow.commit()
    async with engine.begin() as connection:
        for user in users:
            await connection.execute(
                sa.text(
                    """
                    INSERT INTO tasks (user_id, title, description, completed, priority, due_date,
                                       created_at, updated_at)
                    SELECT :user_id, 'task ' || md5(n::text), 'about ' || n, n % 3 = 0,
                           (ARRAY['low', 'medium', 'high'])[n % 3 + 1],
                           CASE WHEN n % 4 = 0 THEN NULL
                                ELSE :now + make_interval(hours => n % 5000) END,
                           :now + make_interval(secs => n),
                           :now + make_interval(secs => n * 7 % 20000)
                    FROM generate_series(1, :count) AS n
                    """
                ),
                {"user_id": user.id, "now": now, "count": TASKS_PER_USER},
            )
            # Two tags on a tenth of the tasks each, none of them undated: a walk along the
            # due-date index from the undated end would pass 15,000 tasks before the first.
            for name, remainder in (("rare", 1), ("scarce", 3)):
                await connection.execute(
                    sa.text(
                        """
                        WITH tag AS (INSERT INTO tags (user_id, name) VALUES (:user_id, :name)
                                     RETURNING id)
                        INSERT INTO task_tag_link (task_id, tag_id)
                        SELECT t.id, tag.id FROM tasks t, tag
                        WHERE t.user_id = :user_id AND t.due_date IS NOT NULL
                          AND t.id % 10 = :remainder
                        """
                    ),
                    {"user_id": user.id, "name": name, "remainder": remainder},
                )
        await connection.execute(sa.text("ANALYZE"))
    return users[0].id


class _Captured:
    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []


@contextmanager
def _capturing(engine: AsyncEngine) -> Iterator[_Captured]:
    captured = _Captured()

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.statements.append((statement, parameters))

    sa.event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield captured
    finally:
        sa.event.remove(engine.sync_engine, "before_cursor_execute", record)


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


async def _task_rows_read(engine: AsyncEngine, statement: str, parameters: Any) -> int:
    async with engine.connect() as connection:
        raw = await connection.exec_driver_sql(
            f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters
        )
        (plan,) = json.loads(raw.scalar_one()) if isinstance(raw, str) else raw.scalar_one()
    return sum(
        int(node["Actual Rows"]) * int(node["Actual Loops"])
        for node in _nodes(plan["Plan"])
        if node.get("Relation Name") == "tasks"
        or node.get("Index Name", "").startswith("idx_tasks")
    )


CASES = {
    **{
        f"sort={sign}{sort}": TaskQuery(limit=LIMIT, sort=sort, descending=descending)
        for sort in (f for f in SortField if f is not SortField.RELEVANCE)
        for descending, sign in ((True, "-"), (False, ""))
    },
    "status=pending": TaskQuery(limit=LIMIT, completed=False),
    "status=completed": TaskQuery(limit=LIMIT, completed=True),
    "priority=high": TaskQuery(limit=LIMIT, priority=Priority.HIGH),
}


async def test_every_sort_and_indexed_filter_reads_only_its_rows(pg_engine: AsyncEngine) -> None:
    ann = await _seed(pg_engine)
    async with pg_engine.connect() as connection:
        rare, scarce = (
            await connection.execute(
                sa.text("SELECT id FROM tags WHERE user_id = :u ORDER BY name"), {"u": ann}
            )
        ).scalars()
    cases = CASES.copy()
    for sort in (f for f in SortField if f is not SortField.RELEVANCE):
        for descending, sign in ((True, "-"), (False, "")):
            one = TaskQuery(limit=LIMIT, sort=sort, descending=descending, tag_ids=(rare,))
            cases[f"tag=rare&sort={sign}{sort}"] = one
            cases[f"tag=rare&tag=scarce&sort={sign}{sort}"] = replace(
                one, tag_ids=(TagId(rare), TagId(scarce))
            )
    for name, query in cases.items():
        async with SqlAlchemyUnitOfWork(pg_engine) as uow:
            first = await uow.tasks.scan(ann, query, None)
        for after in (None, first[LIMIT - 1][1]):
            with _capturing(pg_engine) as captured:
                async with SqlAlchemyUnitOfWork(pg_engine) as uow:
                    found = await uow.tasks.scan(ann, query, after)
            assert len(found) == LIMIT + 1
            (statement, parameters), *_ = [
                (s, p) for s, p in captured.statements if "FROM tasks" in s
            ]
            read = await _task_rows_read(pg_engine, statement, parameters)
            # The page and one more (per tag walked); a sort over the user's 20,000 tasks would
            # read them all.
            assert read <= (LIMIT + 1) * len(query.tag_ids or [1]), (name, after, read, statement)


async def test_a_ranked_search_reads_its_window_not_every_match(pg_engine: AsyncEngine) -> None:
    """Every task matches `task`: ranking scores the 200 most recently updated only (scoring
    every match would read 20,000), found along the user's own index; a user with 100 tasks
    reads those 100, not the 40,000 matches of the others."""
    ann = await _seed(pg_engine)
    cy = User.register(
        email=Email.parse("cy@example.com"), password_hash="h", name=None, now=datetime.now(UTC)
    )
    async with SqlAlchemyUnitOfWork(pg_engine) as uow:
        await uow.users.add(cy)
        await uow.commit()
    async with pg_engine.begin() as connection:
        await connection.execute(
            sa.text(
                "INSERT INTO tasks (user_id, title, created_at, updated_at)"
                " SELECT :u, 'task ' || n, now(), now() FROM generate_series(1, 100) AS n"
            ),
            {"u": cy.id},
        )
        await connection.execute(sa.text("ANALYZE tasks"))
    query = TaskQuery(limit=LIMIT, search="task", sort=SortField.RELEVANCE)
    for user_id, window in ((ann, RELEVANCE_WINDOW), (cy.id, 100)):
        with _capturing(pg_engine) as captured:
            async with SqlAlchemyUnitOfWork(pg_engine) as uow:
                found = await uow.tasks.scan(user_id, query, None)
        assert len(found) == LIMIT + 1
        (statement, parameters), *_ = [(s, p) for s, p in captured.statements if "FROM tasks" in s]
        read = await _task_rows_read(pg_engine, statement, parameters)
        assert read == window, (read, statement)
