"""The library surface: the whole service, wired, for use in-process without HTTP.

    async with TodoService.open(load_settings()) as todo:
        user = await todo.register("ann@example.com", "correct horse battery")
        tokens = await todo.log_in("ann@example.com", "correct horse battery")
        me = await todo.authenticate(tokens.access.token)
        task = await todo.create_task(me.user_id, TaskInput(title="Write the report"))

Each method runs one use case with the same adapters, rules and errors as the HTTP API (errors
are the `domain.errors` / `application.errors` classes, each with its contract `code`). For
anything not wrapped here, `service.container` gives every use case.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from todo_api.application.auth.login import LogInCommand
from todo_api.application.auth.principal import Principal
from todo_api.application.auth.register import RegisterCommand
from todo_api.application.auth.tokens import TokenPair
from todo_api.application.tags.manage import TagPatch
from todo_api.application.tasks.input import TaskInput, TaskPatch
from todo_api.application.tasks.query import ListRequest, Page
from todo_api.domain.ids import TagId, TaskId, UserId
from todo_api.domain.tag import Tag
from todo_api.domain.task import Task
from todo_api.domain.user import User
from todo_api.entrypoints.container import Container, build_container, close_container
from todo_api.entrypoints.settings import Settings


class TodoService:
    """A typed facade over the use cases of one wired container."""

    def __init__(self, container: Container) -> None:
        self.container = container

    @classmethod
    @asynccontextmanager
    async def open(cls, settings: Settings) -> AsyncIterator[TodoService]:
        """Wire the service from settings; close its pool and threads on exit.

        Migrations are not run here, as at the HTTP service's start-up: run
        `entrypoints.migrations.upgrade(settings.database_url)` (or `todo-api db upgrade`) first.
        """
        container = build_container(settings)
        try:
            yield cls(container)
        finally:
            await close_container(container)

    async def register(self, email: str, password: str, name: str | None = None) -> User:
        command = RegisterCommand(email=email, password=password, name=name)
        return await self.container.register_user().execute(command)

    async def log_in(self, email: str, password: str) -> TokenPair:
        command = LogInCommand(email=email, password=password)
        return await self.container.log_in().execute(command)

    async def refresh(self, refresh_token: str) -> TokenPair:
        return await self.container.refresh_session().execute(refresh_token)

    async def log_out(self, refresh_token: str) -> None:
        await self.container.log_out().execute(refresh_token)

    async def authenticate(self, access_token: str) -> Principal:
        return await self.container.authenticate().execute(access_token)

    async def create_task(self, user_id: UserId, data: TaskInput) -> Task:
        return await self.container.create_task().execute(user_id, data)

    async def get_task(self, user_id: UserId, task_id: TaskId) -> Task:
        return await self.container.get_task().execute(user_id, task_id)

    async def list_tasks(self, user_id: UserId, request: ListRequest | None = None) -> Page[Task]:
        return await self.container.list_tasks().execute(user_id, request or ListRequest())

    async def update_task(self, user_id: UserId, task_id: TaskId, patch: TaskPatch) -> Task:
        return await self.container.patch_task().execute(user_id, task_id, patch)

    async def delete_task(self, user_id: UserId, task_id: TaskId) -> None:
        await self.container.delete_task().execute(user_id, task_id)

    async def create_tag(self, user_id: UserId, name: str, color: str | None = None) -> Tag:
        return await self.container.create_tag().execute(user_id, name, color)

    async def list_tags(self, user_id: UserId) -> list[Tag]:
        return await self.container.list_tags().execute(user_id)

    async def update_tag(self, user_id: UserId, tag_id: TagId, patch: TagPatch) -> Tag:
        return await self.container.update_tag().execute(user_id, tag_id, patch)

    async def delete_tag(self, user_id: UserId, tag_id: TagId) -> None:
        await self.container.delete_tag().execute(user_id, tag_id)
