"""Tasks in SQL, through SQLAlchemy Core: a page is one query however many tags (and a count in
page mode, unless the page holds the whole result)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.change_feed import forget_deletions, read_changes
from todo_api.adapters.persistence.reminders import write_schedule
from todo_api.adapters.persistence.tables import tags, task_tag_link, tasks
from todo_api.adapters.persistence.task_listing import (
    ListingShape,
    count_statement,
    listing_values,
    page_statement,
    with_tags,
)
from todo_api.application.changes import ChangeBatch, SyncPosition
from todo_api.application.listing import Page, Position, TaskQuery
from todo_api.application.ports import TaskRepository
from todo_api.application.tasks.task_view import ReminderView, TagView, TaskView
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.recurrence import RecurrenceRule
from todo_api.domain.reminder import Reminder, ReminderRule
from todo_api.domain.tag import Color, Tag, TagName
from todo_api.domain.task import Description, NewTask, Priority, Task, Title

_TASK_WITH_TAGS = with_tags(tasks).where(
    tasks.c.user_id == sa.bindparam("user_id"), tasks.c.id == sa.bindparam("task_id")
)
_TASKS_WITH_TAGS = (
    with_tags(tasks)
    .where(
        tasks.c.user_id == sa.bindparam("user_id"),
        tasks.c.id.in_(sa.bindparam("task_ids", expanding=True)),
    )
    .order_by(tasks.c.id, sa.func.lower(tags.c.name), tags.c.id)
)


# Writes built once, their values given at execution: building an INSERT or UPDATE with
# .values() per request was about a sixth of a task creation's CPU time.
_ADD = tasks.insert().returning(tasks.c.id)
_UPDATE = (
    tasks.update()
    .where(tasks.c.id == sa.bindparam("task_id"), tasks.c.user_id == sa.bindparam("owner"))
    .values(version=tasks.c.version + 1)
    .returning(tasks.c.version)
)
_UPDATE_IF_VERSION = _UPDATE.where(tasks.c.version == sa.bindparam("expected_version"))


class SqlAlchemyTaskRepository(TaskRepository):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, task: NewTask) -> Task:
        result = await self._connection.execute(_ADD, {"user_id": task.user_id, **_fields(task)})
        saved = task.saved_as(TaskId(result.scalar_one()))
        await self._insert_links(saved.id, saved.tag_ids)
        if saved.reminders:
            await write_schedule(
                self._connection, saved.id, saved.user_id, saved.reminder_times(), saved.created_at
            )
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

    async def update(
        self,
        task: Task,
        *,
        tags_changed: bool,
        reminders_changed: bool = False,
        expected_version: int | None = None,
    ) -> bool:
        statement = _UPDATE if expected_version is None else _UPDATE_IF_VERSION
        values = {"task_id": task.id, "owner": task.user_id, **_fields(task)}
        if expected_version is not None:
            values["expected_version"] = expected_version
        version = (await self._connection.execute(statement, values)).scalar_one_or_none()
        if version is None:
            return False
        task.version = version
        if tags_changed:
            await self._connection.execute(
                task_tag_link.delete().where(
                    task_tag_link.c.task_id == task.id,
                    task_tag_link.c.tag_id.not_in(task.tag_ids),
                )
            )
            await self._insert_links(task.id, task.tag_ids)
        if reminders_changed:
            await write_schedule(
                self._connection, task.id, task.user_id, task.reminder_times(), task.updated_at
            )
        return True

    async def delete(
        self, user_id: UserId, task_id: TaskId, expected_version: int | None = None
    ) -> bool:
        statement = tasks.delete().where(tasks.c.user_id == user_id, tasks.c.id == task_id)
        if expected_version is not None:
            statement = statement.where(tasks.c.version == expected_version)
        result = await self._connection.execute(statement)
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

    async def search(self, user_id: UserId, query: TaskQuery) -> Page[TaskView]:
        shape = ListingShape.of(query, self._connection.dialect.name, keyset=False, counted=True)
        values = listing_values(user_id, query)
        rows = (await self._connection.execute(page_statement(shape), values)).all()
        items = [view for view, _ in _viewed(rows)]
        if rows:
            total = int(rows[0].total)
        elif query.offset == 0:
            total = 0
        else:  # a page past the last one has no row to carry the count
            total = int(await self._connection.scalar(count_statement(shape), values) or 0)
        return Page(items=items, total=total, page=query.page, limit=query.limit)

    async def scan(
        self, user_id: UserId, query: TaskQuery, after: Position | None
    ) -> list[tuple[TaskView, Position]]:
        shape = ListingShape.of(query, self._connection.dialect.name, keyset=after is not None)
        values = listing_values(user_id, query) | {"limit": query.limit + 1, "offset": 0}
        if after is not None:
            values |= {"after_key": after.key, "after_id": after.id}
        rows = (await self._connection.execute(page_statement(shape), values)).all()
        return _viewed(rows)

    async def changes(
        self, user_id: UserId, after: SyncPosition, limit: int, deletions_from: int | None
    ) -> ChangeBatch:
        horizon, entries = await read_changes(
            self._connection, user_id, after, limit, deletions_from
        )
        changed_at = {position.task_id: position for position, deleted in entries if not deleted}
        found: list[tuple[Task, SyncPosition]] = []
        if changed_at:
            rows = (
                await self._connection.execute(
                    _TASKS_WITH_TAGS, {"user_id": user_id, "task_ids": list(changed_at)}
                )
            ).all()
            # A task deleted since the feed was read is left out: its tombstone comes later.
            found = sorted(
                ((task, changed_at[task.id]) for task, _ in _grouped(rows, by_id=True)),
                key=lambda pair: pair[1],
            )
        deleted = [(TaskId(p.task_id), p) for p, is_deletion in entries if is_deletion]
        return ChangeBatch(changed=found, deleted=deleted, horizon=horizon)

    async def all_day(self, user_id: UserId) -> list[Task]:
        rows = (
            await self._connection.execute(
                with_tags(tasks)
                .where(
                    tasks.c.user_id == user_id,
                    tasks.c.all_day.is_(True),
                    tasks.c.due_date.is_not(None),
                )
                .order_by(tasks.c.id, sa.func.lower(tags.c.name), tags.c.id)
            )
        ).all()
        return [task for task, _ in _grouped(rows, by_id=True)]

    async def forget_deletions(self, user_id: UserId | None, before: datetime) -> None:
        await forget_deletions(self._connection, user_id, before)

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


def _grouped(
    rows: Sequence[sa.Row[tuple[object, ...]]], *, by_id: bool = False
) -> list[tuple[Task, Position]]:
    """Each task of the joined rows (in page order, a row per tag) with its position (by id
    alone for rows without a sort key)."""
    by_task: dict[int, list[sa.Row[tuple[object, ...]]]] = {}
    for row in rows:
        by_task.setdefault(row.id, []).append(row)
    return [
        (
            _task(group[0], _tags_in(group)),
            Position(group[0].id if by_id else group[0].sort_key, TaskId(group[0].id)),
        )
        for group in by_task.values()
    ]


def _viewed(rows: Sequence[sa.Row[Any]]) -> list[tuple[TaskView, Position]]:
    """Each task of a page's rows (a row per tag, a task's rows together) as a view, with its
    position: no domain object on the way (ADR 0023)."""
    viewed: list[tuple[TaskView, Position]] = []
    first: sa.Row[Any] | None = None
    tags: list[TagView] = []
    for row in rows:
        if first is None or row.id != first.id:
            if first is not None:
                viewed.append(_view(first, tags))
            first, tags = row, []
        if row.tag_id is not None:
            tags.append(TagView(row.tag_id, row.tag_name, row.tag_color, row.tag_version))
    if first is not None:
        viewed.append(_view(first, tags))
    return viewed


def _view(row: sa.Row[Any], tags: list[TagView]) -> tuple[TaskView, Position]:
    stored = row.reminders
    view = TaskView(
        id=row.id,
        title=row.title,
        description=row.description,
        completed=row.completed,
        priority=row.priority,
        due_date=row.due_date,
        recurrence_rule=row.recurrence_rule,
        tags=tuple(tags),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        all_day=row.all_day,
        reminders=tuple(ReminderView.of(r, row.due_date) for r in _reminders(stored))
        if stored
        else (),
    )
    return view, Position(row.sort_key, TaskId(row.id))


def _tags_in(rows: Sequence[sa.Row[tuple[object, ...]]]) -> list[Tag]:
    """The tags carried by a task's joined rows (none: one row with null tag columns)."""
    return [
        Tag(
            id=TagId(r.tag_id),
            user_id=UserId(r.user_id),
            name=TagName.stored(r.tag_name),
            color=Color.stored(r.tag_color) if r.tag_color else None,
            version=r.tag_version,
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
        "all_day": task.all_day,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "reminders": [_stored(r) for r in task.reminders] or None,
    }


def _stored(reminder: Reminder) -> dict[str, object]:
    return {
        "id": reminder.id,
        "before_minutes": reminder.rule.before_minutes,
        "at": _text(reminder.rule.at),
        "snoozed_until": _text(reminder.snoozed_until),
    }


def _text(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _reminders(stored: list[dict[str, Any]] | None) -> list[Reminder]:
    return [
        Reminder(
            id=item["id"],
            rule=ReminderRule(before_minutes=item["before_minutes"], at=_moment(item["at"])),
            snoozed_until=_moment(item["snoozed_until"]),
        )
        for item in stored or ()
    ]


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
        version=data["version"],
        all_day=data["all_day"],
        reminders=_reminders(data["reminders"]),
    )
