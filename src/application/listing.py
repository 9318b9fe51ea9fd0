"""Listing tasks: the typed request a caller makes, the query a repository answers, one page.

The HTTP edge parses query strings into a `TaskListing`; a library caller builds one directly
(`TaskListing(page=2, limit=50, status=TaskStatus.PENDING)`). Either way the core sees ints,
enums and validated text, never HTTP strings.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from todo_api.application.errors import InvalidPagination
from todo_api.domain.ids import TagId
from todo_api.domain.task import Priority
from todo_api.domain.text import storable

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_PAGE",
    "MAX_ROWS_SKIPPED",
    "Page",
    "SortField",
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


class TaskStatus(enum.StrEnum):
    ALL = "all"
    PENDING = "pending"
    COMPLETED = "completed"


class SortField(enum.StrEnum):
    CREATED_AT = "created_at"
    DUE_DATE = "due_date"
    PRIORITY = "priority"
    TITLE = "title"


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskListing:
    """Which of the caller's tasks to list, in what order, and which page.

    `limit` above 100 is capped at 100. `tag` is a tag id, or a tag name (a name made of digits
    is tried as an id first). `search` is a case-insensitive substring of title or description.

    Raises:
        InvalidPagination: `page` or `limit` below 1, or `page * limit` above 10,000,000.
        UnstorableText: `search` holds a NUL character.
    """

    page: int = 1
    limit: int = DEFAULT_LIMIT
    search: str | None = None
    status: TaskStatus = TaskStatus.ALL
    priority: Priority | None = None
    tag: TagId | str | None = None
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

    def query(self, tag_id: TagId | None) -> TaskQuery:
        """The repository's query, with the tag filter resolved to the caller's tag id."""
        completed = None if self.status is TaskStatus.ALL else self.status is TaskStatus.COMPLETED
        return TaskQuery(
            page=self.page,
            limit=self.limit,
            search=self.search,
            completed=completed,
            priority=self.priority,
            tag_id=tag_id,
            sort=self.sort,
            descending=self.descending,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskQuery:
    """What a repository needs to fetch one page; the tag filter is a resolved tag id."""

    page: int = 1
    limit: int = DEFAULT_LIMIT
    search: str | None = None
    completed: bool | None = None
    priority: Priority | None = None
    tag_id: TagId | None = None
    sort: SortField = SortField.CREATED_AT
    descending: bool = True

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
