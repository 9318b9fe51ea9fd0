"""Reading tasks: one, or a filtered page."""

from __future__ import annotations

from dataclasses import replace

from todo_api.application.errors import TaskNotFound
from todo_api.application.ports import UnitOfWork
from todo_api.application.tasks.query import ListRequest, Page
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.task import Task
from todo_api.domain.text import storable


class GetTask:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, task_id: TaskId) -> Task:
        async with self._uow as uow:
            task = await uow.tasks.get(user_id, task_id)
        if task is None:
            raise TaskNotFound
        return task


class ListTasks:
    """A page of the caller's tasks; the tag filter takes a tag id or a tag name."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, request: ListRequest) -> Page[Task]:
        query = request.to_query()
        async with self._uow as uow:
            if request.tag:
                wanted = storable(request.tag.strip(), "tag")
                tag = None
                if wanted.isascii() and wanted.isdigit() and len(wanted) < 10:
                    tag = await uow.tags.get(user_id, TagId(int(wanted)))
                tag = tag or await uow.tags.get_by_name(user_id, wanted)
                if tag is None or tag.id is None:
                    return Page(items=[], total=0, page=query.page, limit=query.limit)
                query = replace(query, tag_id=tag.id)
            return await uow.tasks.search(user_id, query)
