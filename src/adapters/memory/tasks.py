"""Tasks and tags over plain dictionaries, honouring the SQL adapters' contract."""

from __future__ import annotations

import copy
from datetime import datetime

from todo_api.adapters.memory.reminders import write_schedule
from todo_api.adapters.memory.repositories import InMemoryTables
from todo_api.application.changes import ChangeBatch, SyncPosition
from todo_api.application.errors import TagAlreadyExists
from todo_api.application.listing import (
    UNDATED,
    Page,
    Position,
    SortField,
    SortKey,
    TagMode,
    TaskQuery,
)
from todo_api.application.ports import TagRepository, TaskRepository
from todo_api.application.tasks.task_view import TaskView
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.tag import NewTag, Tag, by_name
from todo_api.domain.task import NewTask, Task


class InMemoryTaskRepository(TaskRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def add(self, task: NewTask) -> Task:
        saved = task.saved_as(TaskId(next(self._tables.task_ids)))
        self._tables.tasks[saved.id] = copy.deepcopy(saved)
        self._tables.stamp(saved.id)
        self._tables.links |= {(saved.id, tag_id) for tag_id in saved.tag_ids}
        if saved.reminders:
            write_schedule(
                self._tables, saved.id, saved.user_id, saved.reminder_times(), saved.created_at
            )
        return saved

    async def get(self, user_id: UserId, task_id: TaskId) -> Task | None:
        task = self._tables.tasks.get(task_id)
        if task is None or task.user_id != user_id:
            return None
        return self._hydrate(task)

    async def update(
        self,
        task: Task,
        *,
        tags_changed: bool,
        reminders_changed: bool = False,
        expected_version: int | None = None,
    ) -> bool:
        current = self._tables.tasks.get(task.id)
        if current is None or current.user_id != task.user_id:
            return False
        if expected_version is not None and current.version != expected_version:
            return False
        task.version = current.version + 1
        self._tables.stamp(task.id)
        stored = copy.deepcopy(task)
        stored.tags = []
        self._tables.tasks[task.id] = stored
        if tags_changed:
            self._tables.links = {link for link in self._tables.links if link[0] != task.id}
            self._tables.links |= {(task.id, tag_id) for tag_id in task.tag_ids}
        if reminders_changed:
            write_schedule(
                self._tables, task.id, task.user_id, task.reminder_times(), task.updated_at
            )
        return True

    async def delete(
        self, user_id: UserId, task_id: TaskId, expected_version: int | None = None
    ) -> bool:
        found = await self.get(user_id, task_id)
        if found is None or expected_version not in (None, found.version):
            return False
        self._tables.bury(self._tables.tasks.pop(task_id))
        self._tables.links = {link for link in self._tables.links if link[0] != task_id}
        write_schedule(self._tables, task_id, found.user_id, {}, found.updated_at)
        return True

    async def link(self, task_id: TaskId, tag_id: TagId) -> bool:
        new = (task_id, tag_id) not in self._tables.links
        self._tables.links.add((task_id, tag_id))
        return new

    async def unlink(self, task_id: TaskId, tag_id: TagId) -> bool:
        present = (task_id, tag_id) in self._tables.links
        self._tables.links.discard((task_id, tag_id))
        return present

    async def search(self, user_id: UserId, query: TaskQuery) -> Page[TaskView]:
        ordered = self._ordered(user_id, query)
        window = ordered[query.offset : query.offset + query.limit]
        return Page(
            items=[TaskView.of(self._hydrate(task)) for task, _ in window],
            total=len(ordered),
            page=query.page,
            limit=query.limit,
        )

    async def scan(
        self, user_id: UserId, query: TaskQuery, after: Position | None
    ) -> list[tuple[TaskView, Position]]:
        ordered = self._ordered(user_id, query)
        if after is not None:
            ordered = [pair for pair in ordered if _beyond(pair[1], after, query.descending)]
        return [
            (TaskView.of(self._hydrate(task)), position)
            for task, position in ordered[: query.limit + 1]
        ]

    async def changes(
        self, user_id: UserId, after: SyncPosition, limit: int, deletions_from: int | None
    ) -> ChangeBatch:
        tables = self._tables
        changed = sorted(
            (SyncPosition(number, task_id), task_id)
            for task_id, number in tables.change_numbers.items()
            if tables.tasks[task_id].user_id == user_id and SyncPosition(number, task_id) > after
        )[: limit + 1]
        deleted = sorted(
            (SyncPosition(stone.number, task_id), TaskId(task_id))
            for task_id, stone in tables.tombstones.items()
            if deletions_from is not None
            and stone.user_id == user_id
            and stone.number >= deletions_from
            and SyncPosition(stone.number, task_id) > after
        )[: limit + 1]
        return ChangeBatch(
            changed=[(self._hydrate(tables.tasks[task_id]), p) for p, task_id in changed],
            deleted=[(task_id, p) for p, task_id in deleted],
            horizon=tables.change_clock + 1,
        )

    async def all_day(self, user_id: UserId) -> list[Task]:
        return [
            self._hydrate(task)
            for task_id, task in sorted(self._tables.tasks.items())
            if task.user_id == user_id and task.all_day and task.due_date is not None
        ]

    async def forget_deletions(self, user_id: UserId | None, before: datetime) -> None:
        self._tables.tombstones = {
            task_id: stone
            for task_id, stone in self._tables.tombstones.items()
            if (user_id is not None and stone.user_id != user_id) or stone.deleted_at >= before
        }

    def _ordered(self, user_id: UserId, query: TaskQuery) -> list[tuple[Task, Position]]:
        found = [
            task
            for task in self._tables.tasks.values()
            if task.user_id == user_id and _matches(task, query, self._tables.links)
        ]
        if query.sort is SortField.RELEVANCE:
            found.sort(key=lambda task: (task.updated_at, task.id), reverse=True)
            del found[query.relevance_window :]
        matching = [(task, Position(_sort_key(task, query), task.id)) for task in found]
        matching.sort(key=lambda pair: (pair[1].key, pair[1].id), reverse=query.descending)
        return matching

    def _hydrate(self, task: Task) -> Task:
        found = copy.deepcopy(task)
        tag_ids = {tag_id for task_id, tag_id in self._tables.links if task_id == task.id}
        tags = [copy.copy(self._tables.tags[tag_id]) for tag_id in tag_ids]
        found.tags = by_name(tags)
        return found


def _matches(task: Task, query: TaskQuery, links: set[tuple[TaskId, TagId]]) -> bool:
    if query.completed is not None and task.completed != query.completed:
        return False
    if query.priority is not None and task.priority != query.priority:
        return False
    if query.tag_ids:
        linked = [(task.id, tag_id) in links for tag_id in query.tag_ids]
        if not (any(linked) if query.tag_mode is TagMode.ANY else all(linked)):
            return False
    start, end = query.all_day_range if task.all_day else (query.due_from, query.due_to)
    if start is not None or end is not None:
        if task.due_date is None:
            return False
        if start is not None and task.due_date < start:
            return False
        if end is not None and task.due_date >= end:
            return False
    if query.updated_after is not None and task.updated_at <= query.updated_after:
        return False
    if query.search:
        return _relevance(task, query.search) > 0
    return True


def _beyond(position: Position, after: Position, descending: bool) -> bool:
    mine, theirs = (position.key, position.id), (after.key, after.id)
    return mine < theirs if descending else mine > theirs


def _relevance(task: Task, search: str) -> float:
    """Title matches above description matches (SQLite ranks the same way)."""
    needle = search.lower()
    return 2.0 * (needle in task.title.lower()) + 1.0 * (needle in (task.description or "").lower())


def _sort_key(task: Task, query: TaskQuery) -> SortKey:
    match query.sort:
        case SortField.CREATED_AT:
            return task.created_at
        case SortField.UPDATED_AT:
            return task.updated_at
        case SortField.DUE_DATE:
            return task.due_date or UNDATED
        case SortField.PRIORITY:
            return task.priority.urgency
        case SortField.TITLE:
            return task.title.lower()
        case SortField.RELEVANCE:
            return _relevance(task, query.search or "")


class InMemoryTagRepository(TagRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def add(self, tag: NewTag) -> Tag:
        self._refuse_taken_name(tag.user_id, tag.name, None)
        saved = tag.saved_as(TagId(next(self._tables.tag_ids)))
        self._tables.tags[saved.id] = copy.copy(saved)
        return saved

    async def get(self, user_id: UserId, tag_id: TagId) -> Tag | None:
        tag = self._tables.tags.get(tag_id)
        return copy.copy(tag) if tag and tag.user_id == user_id else None

    async def get_by_name(self, user_id: UserId, name: str) -> Tag | None:
        return next(
            (copy.copy(t) for t in self._owned(user_id) if t.name.lower() == name.lower()), None
        )

    async def find(self, user_id: UserId, tag_ids: list[TagId]) -> list[Tag]:
        return [t for t in await self.list_by_name(user_id) if t.id in set(tag_ids)]

    async def list_by_name(self, user_id: UserId) -> list[Tag]:
        return by_name([copy.copy(t) for t in self._owned(user_id)])

    async def update(self, tag: Tag, expected_version: int | None = None) -> bool:
        current = await self.get(tag.user_id, tag.id)
        if current is None or expected_version not in (None, current.version):
            return False
        self._refuse_taken_name(tag.user_id, tag.name, tag.id)
        tag.version = current.version + 1
        self._tables.tags[tag.id] = copy.copy(tag)
        self._change_tasks_of(tag.id)
        return True

    async def delete(
        self, user_id: UserId, tag_id: TagId, expected_version: int | None = None
    ) -> bool:
        found = await self.get(user_id, tag_id)
        if found is None or expected_version not in (None, found.version):
            return False
        del self._tables.tags[tag_id]
        self._change_tasks_of(tag_id)
        self._tables.links = {link for link in self._tables.links if link[1] != tag_id}
        return True

    def _change_tasks_of(self, tag_id: TagId) -> None:
        """A new version, and a change for delta sync, for each task carrying the tag."""
        for task_id, linked_tag in self._tables.links:
            if linked_tag == tag_id:
                self._tables.tasks[task_id].version += 1
                self._tables.stamp(task_id)

    def _owned(self, user_id: UserId) -> list[Tag]:
        return [t for t in self._tables.tags.values() if t.user_id == user_id]

    def _refuse_taken_name(self, user_id: UserId, name: str, tag_id: TagId | None) -> None:
        for other in self._owned(user_id):
            if other.id != tag_id and other.name.lower() == name.lower():
                raise TagAlreadyExists
