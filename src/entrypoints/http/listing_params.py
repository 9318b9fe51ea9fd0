"""Query-string parameters of `GET /tasks`, parsed into the core's typed TaskListing."""

from __future__ import annotations

from todo_api.application.errors import InvalidPagination, InvalidSortField, InvalidStatus
from todo_api.application.listing import DEFAULT_LIMIT, MAX_PAGE, SortField, TaskListing, TaskStatus
from todo_api.domain.task import Priority


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
        priority=Priority.parse(priority) if priority else None,
        tag=tag.strip() if tag and tag.strip() else None,
        sort=sort_field,
        descending=descending,
    )


def _positive(raw: str | None, default: int, field: str) -> int:
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise InvalidPagination(field=field)
    return int(text)


def _status(raw: str | None) -> TaskStatus:
    if not raw:
        return TaskStatus.ALL
    try:
        return TaskStatus(raw)
    except ValueError:
        raise InvalidStatus from None


def _sort(raw: str | None) -> tuple[SortField, bool]:
    if not raw:
        return SortField.CREATED_AT, True
    try:
        return SortField(raw.removeprefix("-")), raw.startswith("-")
    except ValueError:
        raise InvalidSortField from None
