"""The MCP tools (SPEC 16): each a use case of the facade, limited to a token scope.

Input schemas are not written here: a tool's arguments are the HTTP API's own request structs
(`TaskWrite`, `TaskPatchBody`, `TagWrite`), whose JSON Schema msgspec derives and whose
conversion and `to_input()` validate exactly as the API does; the listing tools take the query
parameters of `GET /tasks`, with the descriptions and schemas the endpoint declares. Results
are the API's response bodies.
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from todo_api.application.auth.principal import Principal
from todo_api.application.tasks.input import TaskPatch
from todo_api.domain.api_token import Scope
from todo_api.domain.ids import TagId, TaskId
from todo_api.domain.task import Task
from todo_api.entrypoints.http.controllers.tasks import TaskController
from todo_api.entrypoints.http.listing_params import ListingParams, task_listing
from todo_api.entrypoints.http.path_ids import MAX_INT_ID
from todo_api.entrypoints.http.schemas.json_int import BodyId, decode_body_id, is_body_id
from todo_api.entrypoints.http.schemas.tasks import (
    TagRead,
    TagWrite,
    TaskPageRead,
    TaskPatchBody,
    TaskRead,
    TaskWrite,
)
from todo_api.entrypoints.service import TodoService

__all__ = ["TOOLS", "McpTool"]

T = TypeVar("T")
Run = Callable[[TodoService, Principal, dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class McpTool:
    name: str
    description: str
    scope: Scope
    input_schema: dict[str, Any]
    run: Run
    read_only: bool = False


class TaskRef(msgspec.Struct, forbid_unknown_fields=True):
    task_id: BodyId


class TaskChange(TaskPatchBody, forbid_unknown_fields=True, kw_only=True):
    task_id: BodyId


class NoArguments(msgspec.Struct, forbid_unknown_fields=True):
    pass


class TagLink(msgspec.Struct, forbid_unknown_fields=True):
    task_id: BodyId
    tag_id: BodyId


def _schema(struct: type) -> dict[str, Any]:
    """The struct's JSON Schema with the struct itself at the root (MCP wants an object there)."""
    document = msgspec.json.schema(struct, schema_hook=_id_schema)
    definitions = dict(document.get("$defs", {}))
    root = dict(definitions.pop(document["$ref"].rsplit("/", 1)[1]))
    # The struct's own docstring speaks of HTTP methods; each tool says what it does.
    root.pop("title", None)
    root.pop("description", None)
    if definitions:
        root["$defs"] = definitions
    return root


def _id_schema(kind: type) -> dict[str, Any]:
    if kind is BodyId:
        return {"type": "integer", "minimum": 1, "maximum": MAX_INT_ID}
    raise NotImplementedError(kind)


def _args(struct: type[T], arguments: dict[str, Any]) -> T:
    # The conversion of a JSON body: unknown fields and wrong types fail, and ids must be JSON
    # integers in range (the API's own decoder).
    return msgspec.convert(arguments, struct, dec_hook=_decode)


def _decode(kind: type, value: Any) -> Any:
    if is_body_id(kind):
        return decode_body_id(kind, value)
    raise NotImplementedError(kind)


def _listing_schema(*names: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The schema of `GET /tasks`'s query parameters `names`, from the endpoint's declarations."""
    hints = typing.get_type_hints(TaskController.listing.fn, include_extras=True)
    properties: dict[str, Any] = {}
    for name in names:
        (parameter,) = hints[name].__metadata__
        extra = {k: v for k, v in (parameter.schema_extra or {}).items() if v is not None}
        if name == "tag":
            extra = {"type": "array", "items": {"type": "string"}, "maxItems": 20}
        properties[name] = {"type": "string", **extra, "description": parameter.description}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    schema["additionalProperties"] = False
    if required:
        schema["required"] = list(required)
    return schema


_FILTERS = (
    "q",
    "status",
    "priority",
    "tag",
    "tag_mode",
    "due_before",
    "due_after",
    "overdue",
    "due_within",
    "updated_after",
    "sort",
    "page",
    "limit",
)


def _listing_params(arguments: dict[str, Any], **fixed: str) -> ListingParams:
    """The tool's arguments as `GET /tasks` would receive them: query-string text."""
    unknown = set(arguments) - set(_FILTERS)
    if unknown:
        raise msgspec.ValidationError(f"Object contains unknown field `{sorted(unknown)[0]}`")
    text: dict[str, Any] = {}
    for name, value in arguments.items():
        if name == "tag":
            text[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        elif isinstance(value, bool):
            text[name] = "true" if value else "false"
        elif value is not None:
            text[name] = str(value)
    return ListingParams(**{**text, **fixed})


async def _page(todo: TodoService, principal: Principal, params: ListingParams) -> dict[str, Any]:
    page = await todo.list_tasks(principal.user_id, task_listing(params))
    return _builtins(TaskPageRead.of(page))


def _builtins(body: msgspec.Struct) -> dict[str, Any]:
    built: dict[str, Any] = msgspec.to_builtins(body)
    return built


def _task(task: Task) -> dict[str, Any]:
    return _builtins(TaskRead.of(task))


async def _add_task(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    data = _args(TaskWrite, arguments).to_input()
    return _task(await todo.create_task(who.user_id, data))


async def _list_tasks(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    return await _page(todo, who, _listing_params(arguments))


async def _search_tasks(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    arguments = {"sort": "relevance", **arguments}
    return await _page(todo, who, _listing_params(arguments))


async def _overdue(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    return await _page(todo, who, _listing_params(arguments, overdue="true"))


async def _upcoming(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    arguments = {"due_within": 7, "sort": "due_date", **arguments}
    return await _page(todo, who, _listing_params(arguments))


async def _get_task(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    ref = _args(TaskRef, arguments)
    return _task(await todo.get_task(who.user_id, TaskId(ref.task_id)))


async def _update_task(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    change = _args(TaskChange, arguments)
    patch: TaskPatch = change.to_patch()
    return _task(await todo.update_task(who.user_id, TaskId(change.task_id), patch))


async def _complete_task(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    ref = _args(TaskRef, arguments)
    done, following = await todo.complete_task(who.user_id, TaskId(ref.task_id))
    return {"task": _task(done), "next_occurrence": _task(following) if following else None}


async def _delete_task(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    ref = _args(TaskRef, arguments)
    await todo.delete_task(who.user_id, TaskId(ref.task_id))
    return {"deleted": ref.task_id}


async def _list_tags(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    _args(NoArguments, arguments)
    return {"tags": [_builtins(TagRead.of(t)) for t in await todo.list_tags(who.user_id)]}


async def _create_tag(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    data = _args(TagWrite, arguments)
    tag = await todo.create_tag(who.user_id, data.tag_name(), data.tag_color())
    return _builtins(TagRead.of(tag))


async def _tag_task(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    link = _args(TagLink, arguments)
    return _task(await todo.tag_task(who.user_id, TaskId(link.task_id), TagId(link.tag_id)))


async def _untag_task(todo: TodoService, who: Principal, arguments: dict[str, Any]) -> dict:
    link = _args(TagLink, arguments)
    await todo.untag_task(who.user_id, TaskId(link.task_id), TagId(link.tag_id))
    return _task(await todo.get_task(who.user_id, TaskId(link.task_id)))


_TASK = (
    " Returns the task as the API shows it: id, title, description, completed, priority,"
    " due_date (UTC), all_day, recurrence_rule, tags, reminders, version."
)
_PAGE = " Returns {items, total, page, limit}: one page of tasks, 20 by default."

TOOLS: tuple[McpTool, ...] = (
    McpTool(
        "add_task",
        "Create a task. Only title is required. due_date is an ISO 8601 date-time (UTC without"
        " an offset) or a date alone for an all-day task in the user's time zone;"
        " recurrence_rule is an iCalendar RRULE such as FREQ=WEEKLY;BYDAY=MO and needs a due"
        " date; priority is low, medium or high; tag_ids are ids from list_tags; reminders are"
        " {before_minutes} (needs a due date) or {at}." + _TASK,
        Scope.TASKS_WRITE,
        _schema(TaskWrite),
        _add_task,
    ),
    McpTool(
        "list_tasks",
        "List the user's tasks with any filter: status (pending, completed, all), priority, tag"
        " (ids or names), due_before/due_after, overdue, due_within (days), updated_after, q"
        " (text), sort (for example due_date or -priority), page and limit." + _PAGE,
        Scope.TASKS_READ,
        _listing_schema(*_FILTERS),
        _list_tasks,
        read_only=True,
    ),
    McpTool(
        "search_tasks",
        "Find tasks whose title or description matches q, best matches first (sort=relevance"
        " unless another sort is given); the other filters of list_tasks apply too." + _PAGE,
        Scope.TASKS_READ,
        _listing_schema(*_FILTERS, required=("q",)),
        _search_tasks,
        read_only=True,
    ),
    McpTool(
        "get_overdue_tasks",
        "The pending tasks whose due date has passed (all-day ones once their day has ended in"
        " the user's time zone), optionally filtered further." + _PAGE,
        Scope.TASKS_READ,
        _listing_schema(*(f for f in _FILTERS if f not in ("overdue", "status"))),
        _overdue,
        read_only=True,
    ),
    McpTool(
        "get_upcoming_tasks",
        "The pending tasks due from now to the end of the due_within-th day from today in the"
        " user's time zone (7 unless given; 0 means today), soonest first." + _PAGE,
        Scope.TASKS_READ,
        _listing_schema(*(f for f in _FILTERS if f not in ("overdue", "status"))),
        _upcoming,
        read_only=True,
    ),
    McpTool(
        "get_task",
        "One task by its id." + _TASK,
        Scope.TASKS_READ,
        _schema(TaskRef),
        _get_task,
        read_only=True,
    ),
    McpTool(
        "update_task",
        "Change some fields of a task by its id; fields left out stay as they are, null clears"
        " description, due_date or recurrence_rule; tag_ids and reminders, when given, replace"
        " the task's." + _TASK,
        Scope.TASKS_WRITE,
        _schema(TaskChange),
        _update_task,
    ),
    McpTool(
        "complete_task",
        "Mark a task done. Completing a recurring task creates its next occurrence, returned as"
        " next_occurrence (null for a task that does not recur). Returns {task,"
        " next_occurrence}.",
        Scope.TASKS_WRITE,
        _schema(TaskRef),
        _complete_task,
    ),
    McpTool(
        "delete_task",
        "Delete a task by its id, for good. Returns {deleted: id}.",
        Scope.TASKS_WRITE,
        _schema(TaskRef),
        _delete_task,
    ),
    McpTool(
        "list_tags",
        "All of the user's tags, by name: {tags: [{id, name, color, version}]}.",
        Scope.TAGS_READ,
        _schema(NoArguments),
        _list_tags,
        read_only=True,
    ),
    McpTool(
        "create_tag",
        "Create a tag: name (unique per user, case-insensitively) and an optional color"
        " #RRGGBB. Returns {id, name, color, version}.",
        Scope.TAGS_WRITE,
        _schema(TagWrite),
        _create_tag,
    ),
    McpTool(
        "tag_task",
        "Put a tag (by id, from list_tags or create_tag) on a task (by id)." + _TASK,
        Scope.TASKS_WRITE,
        _schema(TagLink),
        _tag_task,
    ),
    McpTool(
        "untag_task",
        "Take a tag off a task, both by id." + _TASK,
        Scope.TASKS_WRITE,
        _schema(TagLink),
        _untag_task,
    ),
)
