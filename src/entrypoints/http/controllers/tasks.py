"""The caller's tasks."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from todo_api.application.auth.principal import Principal
from todo_api.application.idempotency import Once
from todo_api.application.listing import DEFAULT_LIMIT
from todo_api.application.sync import SyncTasks
from todo_api.application.tasks.create import CreateTask
from todo_api.application.tasks.get import GetTask
from todo_api.application.tasks.listing import ListTasks
from todo_api.application.tasks.snooze import SnoozeReminder
from todo_api.application.tasks.tagging import AssignTag, UnassignTag
from todo_api.application.tasks.update import DeleteTask, PatchTask, ReplaceTask
from todo_api.domain.api_token import Scope
from todo_api.domain.ids import TagId, TaskId
from todo_api.domain.task import Task
from todo_api.entrypoints.http import listing_params
from todo_api.entrypoints.http.dependencies import AUTHENTICATED, NO_STORE, authenticated_use_case
from todo_api.entrypoints.http.idempotency import IdempotencyKeyHeader, once
from todo_api.entrypoints.http.listing_params import ListingParams, Since, task_listing
from todo_api.entrypoints.http.openapi import BEARER, ContractOperation, error_responses
from todo_api.entrypoints.http.path_ids import IntId, parse_int_id
from todo_api.entrypoints.http.schemas.tasks import (
    SnoozeBody,
    TaskChangesRead,
    TaskCursorPageRead,
    TaskPageRead,
    TaskPatchBody,
    TaskRead,
    TaskWrite,
)
from todo_api.entrypoints.http.scopes import needs
from todo_api.entrypoints.http.versions import IfMatchHeader, if_match, with_etag

_WRITE_ERRORS = error_responses(400, 401, 403, 404, 412, 422, 503)


def _task_id(raw: str) -> TaskId:
    return TaskId(parse_int_id(raw, "task_id"))


def _tag_id(raw: str) -> TagId:
    return TagId(parse_int_id(raw, "tag_id"))


def _linked(result: tuple[Task, bool]) -> tuple[int, TaskRead]:
    task, created = result
    return 201 if created else 200, TaskRead.of(task)


class TaskController(Controller):
    path = "/api/v1/tasks"
    tags = ["tasks"]
    dependencies = AUTHENTICATED
    security = BEARER
    cache_control = NO_STORE
    opt = needs(Scope.TASKS_WRITE)  # reads say tasks:read

    @post(
        "/",
        dependencies={"create_task": authenticated_use_case("create_task")},
        responses=_WRITE_ERRORS,
        summary="Create a task",
        operation_class=ContractOperation,
    )
    async def create(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        data: JSONBody[TaskWrite],
        create_task: NamedDependency[CreateTask],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[TaskRead]:
        once_only: Once[Task] | None = once(
            idempotency_key, request, data, lambda t: (201, TaskRead.of(t))
        )
        task = await create_task.execute(principal.user_id, data.to_input(), once_only)
        return with_etag(TaskRead.of(task), task.version, status_code=201)

    @get(
        "/",
        dependencies={"list_tasks": authenticated_use_case("list_tasks")},
        # 422: a search or tag name with a NUL character (UnstorableText).
        responses=error_responses(400, 401, 403, 422, 503),
        summary="List tasks: filter, search, sort and paginate",
        operation_class=ContractOperation,
        opt=needs(Scope.TASKS_READ),
    )
    async def listing(
        self,
        principal: NamedDependency[Principal],
        list_tasks: NamedDependency[ListTasks],
        page: listing_params.Page = None,
        limit: listing_params.Limit = None,
        q: listing_params.Search = None,
        status: listing_params.Status = None,
        priority: listing_params.PriorityFilter = None,
        tag: listing_params.TagFilter = None,
        tag_mode: listing_params.TagModeParam = None,
        due_before: listing_params.DueBefore = None,
        due_after: listing_params.DueAfter = None,
        overdue: listing_params.Overdue = None,
        due_within: listing_params.DueWithin = None,
        updated_after: listing_params.UpdatedAfter = None,
        sort: listing_params.Sort = None,
        cursor: listing_params.Cursor = None,
        paginate: listing_params.Paginate = None,
    ) -> TaskPageRead | TaskCursorPageRead:
        params = ListingParams(
            page=page,
            limit=limit,
            q=q,
            status=status,
            priority=priority,
            tag=tag or [],
            tag_mode=tag_mode,
            due_before=due_before,
            due_after=due_after,
            overdue=overdue,
            due_within=due_within,
            updated_after=updated_after,
            sort=sort,
            cursor=cursor,
            paginate=paginate,
        )
        listing = task_listing(params)
        if params.cursor_mode:
            found = await list_tasks.by_cursor(principal.user_id, listing, params.cursor or "")
            return TaskCursorPageRead.of(found)
        return TaskPageRead.of(await list_tasks.execute(principal.user_id, listing))

    @get(
        "/changes",
        dependencies={"sync_tasks": authenticated_use_case("sync_tasks")},
        responses=error_responses(400, 401, 403, 410, 503),
        summary="Delta sync: tasks changed and deleted since a token, in commit order",
        operation_class=ContractOperation,
        opt=needs(Scope.TASKS_READ),
    )
    async def changes(
        self,
        principal: NamedDependency[Principal],
        sync_tasks: NamedDependency[SyncTasks],
        since: Since = None,
        limit: listing_params.Limit = None,
    ) -> TaskChangesRead:
        size = listing_params.positive(limit, DEFAULT_LIMIT, "limit")
        page = await sync_tasks.execute(principal.user_id, since or "", size)
        return TaskChangesRead.of(page)

    @get(
        "/{task_id:str}",
        dependencies={"get_task": authenticated_use_case("get_task")},
        responses=error_responses(401, 403, 404, 422, 503),
        summary="One task",
        operation_class=ContractOperation,
        opt=needs(Scope.TASKS_READ),
    )
    async def show(
        self,
        principal: NamedDependency[Principal],
        task_id: IntId,
        get_task: NamedDependency[GetTask],
    ) -> Response[TaskRead]:
        task = await get_task.execute(principal.user_id, _task_id(task_id))
        return with_etag(TaskRead.of(task), task.version)

    @put(
        "/{task_id:str}",
        dependencies={"replace_task": authenticated_use_case("replace_task")},
        responses=_WRITE_ERRORS,
        summary="Replace a task",
        operation_class=ContractOperation,
    )
    async def replace(
        self,
        principal: NamedDependency[Principal],
        task_id: IntId,
        data: JSONBody[TaskWrite],
        replace_task: NamedDependency[ReplaceTask],
        if_match_header: IfMatchHeader = None,
    ) -> Response[TaskRead]:
        task = await replace_task.execute(
            principal.user_id, _task_id(task_id), data.to_input(), if_match(if_match_header)
        )
        return with_etag(TaskRead.of(task), task.version)

    @patch(
        "/{task_id:str}",
        dependencies={"patch_task": authenticated_use_case("patch_task")},
        responses=_WRITE_ERRORS,
        summary="Change some fields of a task",
        operation_class=ContractOperation,
    )
    async def amend(
        self,
        principal: NamedDependency[Principal],
        task_id: IntId,
        data: JSONBody[TaskPatchBody],
        patch_task: NamedDependency[PatchTask],
        if_match_header: IfMatchHeader = None,
    ) -> Response[TaskRead]:
        task = await patch_task.execute(
            principal.user_id, _task_id(task_id), data.to_patch(), if_match(if_match_header)
        )
        return with_etag(TaskRead.of(task), task.version)

    @delete(
        "/{task_id:str}",
        dependencies={"delete_task": authenticated_use_case("delete_task")},
        responses=error_responses(401, 403, 404, 412, 422, 503),
        summary="Delete a task",
        operation_class=ContractOperation,
    )
    async def remove(
        self,
        principal: NamedDependency[Principal],
        task_id: IntId,
        delete_task: NamedDependency[DeleteTask],
        if_match_header: IfMatchHeader = None,
    ) -> None:
        await delete_task.execute(principal.user_id, _task_id(task_id), if_match(if_match_header))

    @post(
        "/{task_id:str}/tags/{tag_id:str}",
        dependencies={"assign_tag": authenticated_use_case("assign_tag")},
        # 400: a malformed Idempotency-Key.
        responses={
            200: ResponseSpec(
                data_container=TaskRead,
                description="Already linked: the task as it is",
                generate_examples=False,
            ),
            **error_responses(400, 401, 403, 404, 422, 503),
        },
        summary="Link a tag to a task (201 when new, 200 when already linked)",
        operation_class=ContractOperation,
    )
    async def assign(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        task_id: IntId,
        tag_id: IntId,
        assign_tag: NamedDependency[AssignTag],
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[TaskRead]:
        once_only = once(idempotency_key, request, None, _linked)
        task, created = await assign_tag.execute(
            principal.user_id, _task_id(task_id), _tag_id(tag_id), once_only
        )
        return with_etag(TaskRead.of(task), task.version, status_code=201 if created else 200)

    @delete(
        "/{task_id:str}/tags/{tag_id:str}",
        dependencies={"unassign_tag": authenticated_use_case("unassign_tag")},
        responses=error_responses(401, 403, 404, 422, 503),
        summary="Unlink a tag from a task",
        operation_class=ContractOperation,
    )
    async def unassign(
        self,
        principal: NamedDependency[Principal],
        task_id: IntId,
        tag_id: IntId,
        unassign_tag: NamedDependency[UnassignTag],
    ) -> None:
        await unassign_tag.execute(principal.user_id, _task_id(task_id), _tag_id(tag_id))

    @post(
        "/{task_id:str}/reminders/{reminder_id:str}/snooze",
        dependencies={"snooze_reminder": authenticated_use_case("snooze_reminder")},
        status_code=200,
        responses=error_responses(400, 401, 403, 404, 422, 503),
        summary="Snooze a reminder: it goes off again `minutes` from now",
        operation_class=ContractOperation,
    )
    async def snooze(
        self,
        principal: NamedDependency[Principal],
        task_id: IntId,
        reminder_id: IntId,
        data: JSONBody[SnoozeBody],
        snooze_reminder: NamedDependency[SnoozeReminder],
    ) -> Response[TaskRead]:
        task = await snooze_reminder.execute(
            principal.user_id,
            _task_id(task_id),
            parse_int_id(reminder_id, "reminder_id"),
            data.minutes,
        )
        return with_etag(TaskRead.of(task), task.version)
