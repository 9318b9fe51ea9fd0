"""Listing tasks: the typed request a caller makes, the query a repository answers, one page.

The HTTP edge parses query strings into a `TaskListing`; a library caller builds one directly
(`TaskListing(limit=50, status=TaskStatus.PENDING, overdue=True)`). Either way the core sees
ints, enums, datetimes and validated text, never HTTP strings.

Two ways to page through the result: by number (`Page`: a total, any page, a cost that grows with
the offset and the count), or by cursor (`CursorPage`: no total, only the next page, a cost that
does not depend on how many tasks there are).
"""

from __future__ import annotations

import enum
import hashlib
import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from todo_api.application.errors import InvalidFilter, InvalidPagination, InvalidSortField
from todo_api.domain.ids import TagId, TaskId
from todo_api.domain.task import Priority
from todo_api.domain.text import storable
from todo_api.domain.timezone import UTC_ZONE, TimeZoneName

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_DUE_WITHIN_DAYS",
    "MAX_LIMIT",
    "MAX_PAGE",
    "MAX_ROWS_SKIPPED",
    "MAX_TAG_FILTERS",
    "RELEVANCE_WINDOW",
    "UNDATED",
    "CursorPage",
    "Page",
    "Position",
    "SortField",
    "SortKey",
    "TagMode",
    "TaskListing",
    "TaskQuery",
    "TaskStatus",
]

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_PAGE = 1_000_000_000
# Deep offsets cost the database a scan of every row before them: page * limit is bounded.
MAX_ROWS_SKIPPED = 10_000_000
MAX_SEARCH_LENGTH = 200
MAX_TAG_FILTERS = 20
MAX_DUE_WITHIN_DAYS = 3650
# Relevance ranks the most recently updated matches only, so a ranked page costs the same
# whatever the number of matches (ADR 0014): every other sort returns every match.
RELEVANCE_WINDOW = 200


class TaskStatus(enum.StrEnum):
    ALL = "all"
    PENDING = "pending"
    COMPLETED = "completed"


class SortField(enum.StrEnum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    DUE_DATE = "due_date"
    PRIORITY = "priority"
    TITLE = "title"
    # Best match first; only with a search, and never reversed.
    RELEVANCE = "relevance"


class TagMode(enum.StrEnum):
    ANY = "any"
    ALL = "all"


# Where a task without a due date sorts: after every dated task ascending, before them descending.
UNDATED = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)

# What a sort key of a task is, per sort: a datetime (created_at, updated_at, due_date, where a
# task without a due date sorts as the far future), an int (priority's urgency), text (the
# database's lower-cased title), or a float (relevance).
SortKey = datetime | int | str | float


@dataclass(frozen=True, slots=True)
class Position:
    """Where a cursor page ends: the last task's sort key, as the store computed it, and id."""

    key: SortKey
    id: TaskId


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskListing:
    """Which of the caller's tasks to list, in what order, and which page.

    `limit` above 100 is capped at 100. `tags` are tag ids or names (a name made of digits is
    tried as an id first; `tag` is one more, for callers with a single tag); `tag_mode` says
    whether a task needs any or all of them. `search` is a case-insensitive substring of title
    or description; with `sort=RELEVANCE` word forms and near misses match too, and the
    `RELEVANCE_WINDOW` most recently updated matches come best first (and no others).
    `due_before` and `due_after` are exclusive bounds; `overdue` means pending and due before
    now; `due_within=N` means pending and due from now to the end of the N-th day from today.
    `updated_after` is exclusive. `page` matters only when paging by number.

    Raises:
        InvalidPagination: `page` or `limit` below 1, or `page * limit` above 10,000,000.
        InvalidSortField: `sort=RELEVANCE` without a search.
        InvalidFilter: `due_within` outside 0 to 3650, more than 20 tags.
        UnstorableText: `search` or a tag holds a NUL character.
    """

    page: int = 1
    limit: int = DEFAULT_LIMIT
    search: str | None = None
    status: TaskStatus = TaskStatus.ALL
    priority: Priority | None = None
    tag: TagId | str | None = None
    tags: tuple[TagId | str, ...] = ()
    tag_mode: TagMode = TagMode.ANY
    due_before: datetime | None = None
    due_after: datetime | None = None
    overdue: bool = False
    due_within: int | None = None
    updated_after: datetime | None = None
    sort: SortField = SortField.CREATED_AT
    descending: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.page <= MAX_PAGE:
            raise InvalidPagination(field="page")
        if self.limit < 1:
            raise InvalidPagination(field="limit")
        object.__setattr__(self, "limit", min(self.limit, MAX_LIMIT))
        if self.page * self.limit > MAX_ROWS_SKIPPED:
            raise InvalidPagination(
                f"page * limit must not exceed {MAX_ROWS_SKIPPED:,}.", field="page"
            )
        search = self.search.strip() if self.search else None
        object.__setattr__(
            self, "search", storable(search, "q")[:MAX_SEARCH_LENGTH] if search else None
        )
        wanted = (*self.tags, *([self.tag] if self.tag is not None else []))
        if len(wanted) > MAX_TAG_FILTERS:
            raise InvalidFilter(f"At most {MAX_TAG_FILTERS} tags can be filtered on.", field="tag")
        object.__setattr__(self, "tags", tuple(dict.fromkeys(wanted)))
        object.__setattr__(self, "tag", None)
        if self.due_within is not None and not 0 <= self.due_within <= MAX_DUE_WITHIN_DAYS:
            raise InvalidFilter(
                f"due_within must be a number of days from 0 to {MAX_DUE_WITHIN_DAYS}.",
                field="due_within",
            )
        if self.sort is SortField.RELEVANCE:
            if not self.search:
                raise InvalidSortField("sort=relevance needs a search (q).")
            object.__setattr__(self, "descending", True)

    def binding(self) -> str:
        """What a cursor is bound to: the sort and every filter, but not the page or limit.

        The relative filters (`overdue`, `due_within`) are bound as asked, not as resolved, so
        each next page is judged at its own now.
        """
        bound = replace(self, page=1, limit=DEFAULT_LIMIT)
        return hashlib.sha256(repr(bound).encode("utf-8", "surrogatepass")).hexdigest()[:24]

    def query(
        self, tag_ids: tuple[TagId, ...], now: datetime, zone: TimeZoneName = UTC_ZONE
    ) -> TaskQuery:
        """The repository's query: tags resolved to the caller's ids, relative dates to bounds
        counted in the caller's time zone."""
        today = zone.start_of(zone.day_of(now)).astimezone(UTC)
        due_from, due_to = _bounds(self, now, now, zone)
        # An all-day task is overdue once its day has ended, and due today all day long.
        all_day_from, all_day_to = _bounds(self, today, now, zone)
        pending_only = self.overdue or self.due_within is not None
        completed = None if self.status is TaskStatus.ALL else self.status is TaskStatus.COMPLETED
        if pending_only:
            if completed:
                due_from = due_to = all_day_from = all_day_to = now  # pending and completed
            completed = False
        return TaskQuery(
            page=self.page,
            limit=self.limit,
            search=self.search,
            completed=completed,
            priority=self.priority,
            tag_ids=tag_ids,
            tag_mode=self.tag_mode,
            due_from=due_from,
            due_to=due_to,
            all_day_due_from=all_day_from,
            all_day_due_to=all_day_to,
            updated_after=self.updated_after,
            sort=self.sort,
            descending=self.descending,
        )


def _bounds(
    listing: TaskListing, due_by: datetime, now: datetime, zone: TimeZoneName
) -> tuple[datetime | None, datetime | None]:
    """The due-date range [from, to) every due filter allows at once; a task due before
    `due_by` is overdue."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    if listing.due_after is not None:
        starts.append(_just_after(listing.due_after))
    if listing.due_before is not None:
        ends.append(listing.due_before)
    if listing.overdue:
        ends.append(due_by)
    if listing.due_within is not None:
        last_day = zone.day_of(now) + timedelta(days=listing.due_within)
        starts.append(due_by)
        ends.append(zone.start_of(last_day + timedelta(days=1)).astimezone(UTC))
    return (max(starts) if starts else None, min(ends) if ends else None)


def _just_after(moment: datetime) -> datetime:
    # The last representable moment has nothing after it; nothing is due at it either.
    return moment if moment >= UNDATED else moment + timedelta(microseconds=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskQuery:
    """What a repository needs to fetch one page.

    Tags are resolved ids; due dates are a half-open range [`due_from`, `due_to`); a search with
    `sort=RELEVANCE` also matches word forms and near misses, and ranks the
    `relevance_window` most recently updated matches (ties by id) and no others.
    """

    page: int = 1
    limit: int = DEFAULT_LIMIT
    search: str | None = None
    completed: bool | None = None
    priority: Priority | None = None
    tag_ids: tuple[TagId, ...] = ()
    tag_mode: TagMode = TagMode.ANY
    due_from: datetime | None = None
    due_to: datetime | None = None
    # The same range for all-day tasks, whose day counts whole (None: as for the others).
    all_day_due_from: datetime | None = None
    all_day_due_to: datetime | None = None
    updated_after: datetime | None = None
    sort: SortField = SortField.CREATED_AT
    descending: bool = True
    relevance_window: int = RELEVANCE_WINDOW

    @property
    def all_day_range(self) -> tuple[datetime | None, datetime | None]:
        if self.all_day_due_from is None and self.all_day_due_to is None:
            return self.due_from, self.due_to
        return self.all_day_due_from, self.all_day_due_to

    @property
    def all_day_differs(self) -> bool:
        return self.all_day_range != (self.due_from, self.due_to)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results; `pages` is 0 when `total` is 0."""

    items: list[T]
    total: int
    page: int
    limit: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.limit) if self.total else 0


@dataclass(frozen=True, slots=True)
class CursorPage(Generic[T]):
    """One page of results and the cursor of the next, None after the last page."""

    items: list[T]
    next_cursor: str | None = field(default=None)
