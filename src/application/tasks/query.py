"""The listing query: filters, search, sort and page, validated."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from todo_api.application.errors import InvalidPagination, InvalidSortField, InvalidStatus
from todo_api.domain.ids import TagId
from todo_api.domain.task import Priority
from todo_api.domain.text import storable

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_PAGE = 1_000_000_000
MAX_SEARCH_LENGTH = 200


class SortField(enum.StrEnum):
    CREATED_AT = "created_at"
    DUE_DATE = "due_date"
    PRIORITY = "priority"
    TITLE = "title"


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskQuery:
    """What a repository needs to fetch one page; `tag_id` is the resolved tag filter."""

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


@dataclass(frozen=True, slots=True, kw_only=True)
class ListRequest:
    """The listing parameters as a client sends them (all text)."""

    page: str | None = None
    limit: str | None = None
    q: str | None = None
    status: str | None = None
    priority: str | None = None
    tag: str | None = None
    sort: str | None = None

    def to_query(self) -> TaskQuery:
        field, descending = _sort(self.sort)
        return TaskQuery(
            page=_positive(self.page, 1, "page"),
            limit=min(_positive(self.limit, DEFAULT_LIMIT, "limit"), MAX_LIMIT),
            search=_search(self.q),
            completed=_status(self.status),
            priority=Priority.parse(self.priority) if self.priority else None,
            sort=field,
            descending=descending,
        )


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    limit: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.limit) if self.total else 0


def _positive(raw: str | None, default: int, field: str) -> int:
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise InvalidPagination(field=field)
    return int(text)


def _status(raw: str | None) -> bool | None:
    if raw in (None, "", "all"):
        return None
    if raw == "pending":
        return False
    if raw == "completed":
        return True
    raise InvalidStatus


def _sort(raw: str | None) -> tuple[SortField, bool]:
    if not raw:
        return SortField.CREATED_AT, True
    descending = raw.startswith("-")
    try:
        return SortField(raw.removeprefix("-")), descending
    except ValueError:
        raise InvalidSortField from None


def _search(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    return storable(raw.strip(), "q")[:MAX_SEARCH_LENGTH]
