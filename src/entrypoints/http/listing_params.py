"""Query-string parameters of `GET /tasks`, parsed into the core's typed TaskListing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from litestar.params import Parameter

from todo_api.application.errors import (
    InvalidDate,
    InvalidFilter,
    InvalidPagination,
    InvalidSortField,
    InvalidStatus,
    InvalidTagMode,
)
from todo_api.application.listing import (
    DEFAULT_LIMIT,
    MAX_DUE_WITHIN_DAYS,
    MAX_PAGE,
    MAX_TAG_FILTERS,
    RELEVANCE_WINDOW,
    SortField,
    TagMode,
    TaskListing,
    TaskStatus,
)
from todo_api.domain.task import Priority
from todo_api.domain.text import storable


def _documented(description: str, **schema: object) -> Any:
    # The handler takes text or nothing (so a bad value gets the contract's 400, naming the
    # parameter, and an empty one is bad too); the document says what a good value is, in place
    # of the framework's "string or null".
    return Annotated[
        str | None, Parameter(description=description, schema_extra={"oneOf": None, **schema})
    ]


def _optional(description: str, **schema: object) -> Any:
    return Annotated[str | None, Parameter(description=description, schema_extra=schema or None)]


_DATE = {"type": "string", "format": "date-time"}
_DIRECTED_SORTS = [
    f"{sign}{field.value}"
    for field in SortField
    if field is not SortField.RELEVANCE
    for sign in ("", "-")
]

Page = _documented("Page number, from 1 (page mode only).", type="integer", minimum=1, default=1)
Limit = _documented(
    "Tasks per page; above 100 means 100.", type="integer", minimum=1, default=DEFAULT_LIMIT
)
Search = _optional(
    "A case-insensitive substring of title or description; with sort=relevance, word forms and"
    f" near misses match too (on Postgres), and the {RELEVANCE_WINDOW} most recently updated"
    " matches come best first."
)
Status = _documented(
    "Completion filter.",
    type="string",
    enum=[status.value for status in TaskStatus],
    default=TaskStatus.ALL.value,
)
PriorityFilter = _documented("Priority filter.", type="string", enum=[p.value for p in Priority])
TagFilter = Annotated[
    list[str] | None,
    Parameter(
        description=(
            f"A tag id or name; repeat it for several (at most {MAX_TAG_FILTERS}), combined as"
            " tag_mode says."
        ),
        # An absent parameter is no tag; the framework's "array or null" is not a query value.
        schema_extra={
            "oneOf": None,
            "type": "array",
            "items": {"type": "string"},
            "maxItems": MAX_TAG_FILTERS,
        },
    ),
]
TagModeParam = _documented(
    "Whether a task needs any or all of the tags.",
    type="string",
    enum=[mode.value for mode in TagMode],
    default=TagMode.ANY.value,
)
DueBefore = _documented(
    "Due strictly before this ISO 8601 date-time (a date means its start, in UTC).", **_DATE
)
DueAfter = _documented(
    "Due strictly after this ISO 8601 date-time (a date means its start, in UTC).", **_DATE
)
Overdue = _documented("true: pending and due before now.", type="boolean")
DueWithin = _documented(
    "Pending and due from now to the end of the N-th day from today (0: today).",
    type="integer",
    minimum=0,
    maximum=MAX_DUE_WITHIN_DAYS,
)
UpdatedAfter = _documented("Changed strictly after this ISO 8601 date-time.", **_DATE)
Sort = _documented(
    "Sort key; a leading '-' sorts descending; relevance (best first) needs q.",
    type="string",
    enum=[
        *(
            f"{sign}{f.value}"
            for f in SortField
            if f is not SortField.RELEVANCE
            for sign in ("", "-")
        ),
        SortField.RELEVANCE.value,
    ],
    default="-created_at",
)
Cursor = _optional(
    "Cursor mode: empty for the first page, then the next_cursor of the page before.",
)
Paginate = _documented(
    "page (numbered pages with a total) or cursor (the same as an empty cursor).",
    type="string",
    enum=["page", "cursor"],
    default="page",
)


Since = _optional(
    "The next_since of your last sync; empty or absent for a first, full sync.",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ListingParams:
    """The raw query string of a listing, as the handler received it."""

    page: str | None = None
    limit: str | None = None
    q: str | None = None
    status: str | None = None
    priority: str | None = None
    tag: list[str] = field(default_factory=list)
    tag_mode: str | None = None
    due_before: str | None = None
    due_after: str | None = None
    overdue: str | None = None
    due_within: str | None = None
    updated_after: str | None = None
    sort: str | None = None
    cursor: str | None = None
    paginate: str | None = None

    @property
    def cursor_mode(self) -> bool:
        if self.paginate not in (None, "page", "cursor"):
            raise InvalidPagination("paginate must be page or cursor.", field="paginate")
        by_cursor = self.cursor is not None or self.paginate == "cursor"
        if by_cursor and self.page is not None:
            raise InvalidPagination("page does not apply to cursor pages.", field="page")
        return by_cursor


def task_listing(params: ListingParams) -> TaskListing:
    """Raise the contract's 400 for a malformed parameter, naming it."""
    sort_field, descending = _sort(params.sort)
    return TaskListing(
        page=positive(params.page, 1, "page"),
        limit=positive(params.limit, DEFAULT_LIMIT, "limit"),
        search=params.q,
        status=_status(params.status),
        priority=Priority.parse(params.priority) if params.priority is not None else None,
        tags=tuple(t.strip() for t in params.tag if t.strip()),
        tag_mode=_tag_mode(params.tag_mode),
        due_before=_instant(params.due_before, "due_before"),
        due_after=_instant(params.due_after, "due_after"),
        overdue=_boolean(params.overdue, "overdue"),
        due_within=_days(params.due_within),
        updated_after=_instant(params.updated_after, "updated_after"),
        sort=sort_field,
        descending=descending,
    )


def positive(raw: str | None, default: int, field: str) -> int:
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


def _tag_mode(raw: str | None) -> TagMode:
    if raw is None:
        return TagMode.ANY
    try:
        return TagMode(raw)
    except ValueError:
        raise InvalidTagMode from None


def _sort(raw: str | None) -> tuple[SortField, bool]:
    if raw is None:
        return SortField.CREATED_AT, True
    try:
        sort = SortField(raw.removeprefix("-"))
    except ValueError:
        raise InvalidSortField from None
    if sort is SortField.RELEVANCE and raw != sort.value:
        raise InvalidSortField("relevance sorts best first and takes no '-'.")
    return sort, raw.startswith("-")


def _instant(raw: str | None, name: str) -> datetime | None:
    """An ISO 8601 date-time (UTC when it names no offset) or a date (its start in UTC)."""
    if raw is None:
        return None
    text = storable(raw, name).strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), UTC)
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidDate(f"{name} must be an ISO 8601 date or date-time.", field=name) from None


def _boolean(raw: str | None, name: str) -> bool:
    if raw is None or raw == "false":
        return False
    if raw == "true":
        return True
    raise InvalidFilter(f"{name} must be true or false.", field=name)


def _days(raw: str | None) -> int | None:
    if raw is None:
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or int(text) > MAX_DUE_WITHIN_DAYS:
        raise InvalidFilter(
            f"due_within must be a number of days from 0 to {MAX_DUE_WITHIN_DAYS}.",
            field="due_within",
        )
    return int(text)
