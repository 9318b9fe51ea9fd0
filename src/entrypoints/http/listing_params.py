"""Query-string parameters of `GET /tasks`, parsed into the core's typed TaskListing."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.params import Parameter

from todo_api.application.errors import InvalidPagination, InvalidSortField, InvalidStatus
from todo_api.application.listing import DEFAULT_LIMIT, MAX_PAGE, SortField, TaskListing, TaskStatus
from todo_api.domain.task import Priority


def _documented(description: str, **schema: object) -> Any:
    # The handler takes text or nothing (so a bad value gets the contract's 400, naming the
    # parameter, and an empty one is bad too); the document says what a good value is, in place
    # of the framework's "string or null".
    return Annotated[
        str | None, Parameter(description=description, schema_extra={"oneOf": None, **schema})
    ]


def _optional(description: str, **schema: object) -> Any:
    return Annotated[str | None, Parameter(description=description, schema_extra=schema or None)]


Page = _documented("Page number, from 1.", type="integer", minimum=1, default=1)
Limit = _documented(
    "Tasks per page; above 100 means 100.", type="integer", minimum=1, default=DEFAULT_LIMIT
)
Search = _optional("A case-insensitive substring of title or description.")
Status = _documented(
    "Completion filter.",
    type="string",
    enum=[status.value for status in TaskStatus],
    default=TaskStatus.ALL.value,
)
PriorityFilter = _documented("Priority filter.", type="string", enum=[p.value for p in Priority])
TagFilter = _optional("A tag id or a tag name.")
Sort = _documented(
    "Sort key; a leading '-' sorts descending.",
    type="string",
    enum=[f"{sign}{field.value}" for field in SortField for sign in ("", "-")],
    default="-created_at",
)


def task_listing(
    *,
    page: str | None,
    limit: str | None,
    q: str | None,
    status: str | None,
    priority: str | None,
    tag: str | None,
    sort: str | None,
) -> TaskListing:
    """Raise the contract's 400 for a malformed parameter, naming it."""
    sort_field, descending = _sort(sort)
    return TaskListing(
        page=_positive(page, 1, "page"),
        limit=_positive(limit, DEFAULT_LIMIT, "limit"),
        search=q,
        status=_status(status),
        priority=Priority.parse(priority) if priority is not None else None,
        tag=tag.strip() if tag and tag.strip() else None,
        sort=sort_field,
        descending=descending,
    )


def _positive(raw: str | None, default: int, field: str) -> int:
    if raw is None:
        return default
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise InvalidPagination(field=field)
    return int(text)


def _status(raw: str | None) -> TaskStatus:
    if raw is None:
        return TaskStatus.ALL
    try:
        return TaskStatus(raw)
    except ValueError:
        raise InvalidStatus from None


def _sort(raw: str | None) -> tuple[SortField, bool]:
    if raw is None:
        return SortField.CREATED_AT, True
    try:
        return SortField(raw.removeprefix("-")), raw.startswith("-")
    except ValueError:
        raise InvalidSortField from None
