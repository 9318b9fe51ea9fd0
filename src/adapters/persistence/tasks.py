"""Tasks in SQL, through SQLAlchemy Core: a page costs three queries however many tags."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.tables import tags, task_tag_link, tasks
from todo_api.application.listing import Page, SortField, TaskQuery
from todo_api.application.ports import TaskRepository
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.recurrence import RecurrenceRule
from todo_api.domain.tag import Color, Tag, TagName
from todo_api.domain.task import Description, NewTask, Priority, Task, Title

_URGENCY = sa.case(
    {p.value: p.urgency for p in Priority}, value=tasks.c.priority, else_=len(Priority)
)


def _with_tags(task_rows: sa.FromClause) -> sa.Select[tuple[object, ...]]:
    """Task rows joined to their tags: a row per tag, or one with null tag columns."""
    return sa.select(
        task_rows,
        tags.c.id.label("tag_id"),
        tags.c.name.label("tag_name"),
        tags.c.color.label("tag_color"),
    ).select_from(
        task_rows.outerjoin(task_tag_link, task_tag_link.c.task_id == task_rows.c.id).outerjoin(
            tags, tags.c.id == task_tag_link.c.tag_id
        )
    )


_TASK_WITH_TAGS = _with_tags(tasks).where(
    tasks.c.user_id == sa.bindparam("user_id"), tasks.c.id == sa.bindparam("task_id")
)


class SqlAlchemyTaskRepository(TaskRepository):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, task: NewTask) -> Task:
        result = await self._connection.execute(
            tasks.insert().values(user_id=task.user_id, **_fields(task)).returning(tasks.c.id)
        )
        saved = task.saved_as(TaskId(result.scalar_one()))
        await self._insert_links(saved.id, saved.tag_ids)
        return saved

    async def get(self, user_id: UserId, task_id: TaskId) -> Task | None:
        # The task and its tags in one round trip: a row per tag (or one with null tag columns).
        rows = (
            await self._connection.execute(
                _TASK_WITH_TAGS, {"user_id": user_id, "task_id": task_id}
            )
        ).all()
        if not rows:
            return None
        return _task(rows[0], sorted(_tags_in(rows), key=lambda t: (t.name.lower(), t.id)))

    async def update(self, task: Task, *, tags_changed: bool) -> None:
        await self._connection.execute(
            tasks.update()
            .where(tasks.c.id == task.id, tasks.c.user_id == task.user_id)
            .values(**_fields(task))
        )
        if tags_changed:
            await self._connection.execute(
                task_tag_link.delete().where(
                    task_tag_link.c.task_id == task.id,
                    task_tag_link.c.tag_id.not_in(task.tag_ids),
                )
            )
            await self._insert_links(task.id, task.tag_ids)

    async def delete(self, user_id: UserId, task_id: TaskId) -> bool:
        result = await self._connection.execute(
            tasks.delete().where(tasks.c.user_id == user_id, tasks.c.id == task_id)
        )
        return result.rowcount == 1

    async def link(self, task_id: TaskId, tag_id: TagId) -> bool:
        return await self._insert_links(task_id, [tag_id]) == 1

    async def unlink(self, task_id: TaskId, tag_id: TagId) -> bool:
        result = await self._connection.execute(
            task_tag_link.delete().where(
                task_tag_link.c.task_id == task_id, task_tag_link.c.tag_id == tag_id
            )
        )
        return result.rowcount == 1

    async def search(self, user_id: UserId, query: TaskQuery) -> Page[Task]:
        shape = _Shape.of(query)
        values = _values(user_id, query)
        # One round trip: the page (with its total as a window count) joined to its tags, a
        # row per tag. Only a page past the end, with no row to carry the total, counts again.
        rows = (await self._connection.execute(_page_statement(shape), values)).all()
        if rows:
            total = int(rows[0].total)
        else:
            total = int(await self._connection.scalar(_count_statement(shape), values) or 0)
        by_task: dict[int, list[sa.Row[tuple[object, ...]]]] = {}
        for row in rows:  # ordered by page position, then tag name
            by_task.setdefault(row.id, []).append(row)
        items = [_task(group[0], _tags_in(group)) for group in by_task.values()]
        return Page(items=items, total=total, page=query.page, limit=query.limit)

    async def _insert_links(self, task_id: TaskId, tag_ids: list[TagId]) -> int:
        if not tag_ids:
            return 0
        dialect = self._connection.dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(task_tag_link)
            .values([{"task_id": task_id, "tag_id": tag_id} for tag_id in tag_ids])
            .on_conflict_do_nothing()
            .returning(task_tag_link.c.tag_id)
        )
        # Count what was really inserted; rowcount is unreliable for multi-row inserts.
        return len((await self._connection.execute(statement)).all())


@dataclass(frozen=True, slots=True)
class _Shape:
    """Which filters and which order a query has: the statement depends on nothing else."""

    completed: bool
    priority: bool
    tag: bool
    search: bool
    sort: SortField
    descending: bool

    @classmethod
    def of(cls, query: TaskQuery) -> _Shape:
        return cls(
            completed=query.completed is not None,
            priority=query.priority is not None,
            tag=query.tag_id is not None,
            search=bool(query.search),
            sort=query.sort,
            descending=query.descending,
        )


def _values(user_id: UserId, query: TaskQuery) -> dict[str, object]:
    return {
        "user_id": user_id,
        "completed": query.completed,
        "priority": query.priority.value if query.priority else None,
        "tag_id": query.tag_id,
        "pattern": "%" + _escape_like(query.search) + "%" if query.search else None,
        "limit": query.limit,
        "offset": query.offset,
    }


# Statements are built once per shape (a few dozen at most) and reused with new values: building
# them per request cost more than running them, and a stable SQL text lets psycopg prepare it.
@functools.cache
def _page_statement(shape: _Shape) -> sa.Select[tuple[object, ...]]:
    ordering = _order(shape)
    page = (
        sa.select(
            tasks,
            sa.func.count().over().label("total"),
            sa.func.row_number().over(order_by=ordering).label("position"),
        )
        .where(_condition(shape))
        .order_by(*ordering)
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
        .cte("page")
    )
    return _with_tags(page).order_by(page.c.position, sa.func.lower(tags.c.name), tags.c.id)


@functools.cache
def _count_statement(shape: _Shape) -> sa.Select[int]:
    return sa.select(sa.func.count()).select_from(tasks).where(_condition(shape))


def _condition(shape: _Shape) -> sa.ColumnElement[bool]:
    clauses: list[sa.ColumnElement[bool]] = [tasks.c.user_id == sa.bindparam("user_id")]
    if shape.completed:
        clauses.append(tasks.c.completed == sa.bindparam("completed", type_=sa.Boolean))
    if shape.priority:
        clauses.append(tasks.c.priority == sa.bindparam("priority", type_=sa.String))
    if shape.tag:
        clauses.append(
            sa.exists().where(
                task_tag_link.c.task_id == tasks.c.id,
                task_tag_link.c.tag_id == sa.bindparam("tag_id", type_=sa.Integer),
            )
        )
    if shape.search:
        # ILIKE on Postgres (served by the pg_trgm indexes); lower() LIKE lower() on SQLite.
        pattern = sa.bindparam("pattern", type_=sa.String)
        clauses.append(
            sa.or_(
                tasks.c.title.ilike(pattern, escape="\\"),
                tasks.c.description.ilike(pattern, escape="\\"),
            )
        )
    return sa.and_(*clauses)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _order(shape: _Shape) -> list[sa.ColumnElement[object]]:
    def directed(column: sa.ColumnElement[object]) -> sa.ColumnElement[object]:
        return column.desc() if shape.descending else column.asc()

    if shape.sort is SortField.DUE_DATE:
        # Ascending puts tasks without a due date last, descending first.
        due = (
            tasks.c.due_date.desc().nulls_first()
            if shape.descending
            else (tasks.c.due_date.asc().nulls_last())
        )
        return [due, directed(tasks.c.id)]
    key = {
        SortField.CREATED_AT: tasks.c.created_at,
        SortField.PRIORITY: _URGENCY,
        SortField.TITLE: sa.func.lower(tasks.c.title),
    }[shape.sort]
    return [directed(key), directed(tasks.c.id)]


def _tags_in(rows: Sequence[sa.Row[tuple[object, ...]]]) -> list[Tag]:
    """The tags carried by a task's joined rows (none: one row with null tag columns)."""
    return [
        Tag(
            id=TagId(r.tag_id),
            user_id=UserId(r.user_id),
            name=TagName.stored(r.tag_name),
            color=Color.stored(r.tag_color) if r.tag_color else None,
        )
        for r in rows
        if r.tag_id is not None
    ]


def _fields(task: Task | NewTask) -> dict[str, object]:
    return {
        "title": task.title,
        "description": task.description,
        "completed": task.completed,
        "priority": task.priority.value,
        "due_date": task.due_date,
        "recurrence_rule": task.recurrence_rule.value if task.recurrence_rule else None,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
    }


def _task(row: sa.Row[tuple[object, ...]], task_tags: list[Tag]) -> Task:
    data = row._mapping
    rule, description = data["recurrence_rule"], data["description"]
    return Task(
        id=TaskId(data["id"]),
        user_id=UserId(data["user_id"]),
        title=Title.stored(data["title"]),
        description=Description.stored(description) if description is not None else None,
        completed=data["completed"],
        priority=Priority(data["priority"]),
        due_date=data["due_date"],
        recurrence_rule=RecurrenceRule(rule) if rule else None,
        tags=task_tags,
        created_at=data["created_at"],
        updated_at=data["updated_at"],
    )
