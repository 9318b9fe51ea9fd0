from datetime import UTC, datetime

import pytest

from todo_api.application.errors import InvalidPagination, InvalidSortField, InvalidStatus
from todo_api.application.listing import Page, SortField, TaskListing, TaskQuery, TaskStatus
from todo_api.domain.errors import InvalidPriority, UnstorableText
from todo_api.domain.task import Priority
from todo_api.entrypoints.http.listing_params import ListingParams, task_listing

NOW = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
DAY_END = datetime(2026, 3, 11, tzinfo=UTC)


def _parse(**raw: str | None) -> TaskQuery:
    return task_listing(ListingParams(**raw)).query((), NOW)


def test_defaults() -> None:
    query = _parse()
    assert (query.page, query.limit, query.sort, query.descending) == (
        1,
        20,
        SortField.CREATED_AT,
        True,
    )
    assert query.completed is None and query.priority is None and query.search is None


@pytest.mark.parametrize(
    ("page", "limit"),
    [("0", None), (None, "0"), ("-1", None), ("x", None), (None, "1.5"), ("1" + "0" * 12, None)],
)
def test_bad_pages_and_limits_are_invalid_pagination(page: str | None, limit: str | None) -> None:
    with pytest.raises(InvalidPagination):
        _parse(page=page, limit=limit)


def test_limit_is_capped_at_100() -> None:
    assert _parse(limit="1000").limit == 100
    assert _parse(limit="100").limit == 100
    assert _parse(limit="1").limit == 1


@pytest.mark.parametrize(
    ("status", "completed"), [("all", None), ("pending", False), ("completed", True)]
)
def test_status(status: str, completed: bool | None) -> None:
    assert _parse(status=status).completed is completed


def test_unknown_status_priority_and_sort_are_refused() -> None:
    with pytest.raises(InvalidStatus):
        _parse(status="done")
    with pytest.raises(InvalidPriority):
        _parse(priority="urgent")
    with pytest.raises(InvalidSortField):
        _parse(sort="-owner")


@pytest.mark.parametrize("field", [f for f in SortField if f is not SortField.RELEVANCE])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_key_in_both_directions(field: SortField, descending: bool) -> None:
    query = _parse(sort=("-" if descending else "") + field.value)
    assert (query.sort, query.descending) == (field, descending)


def test_priority_filter_and_search_are_parsed() -> None:
    query = _parse(priority="high", q="  50%_off  ")
    assert query.priority is Priority.HIGH
    assert query.search == "50%_off"
    with pytest.raises(UnstorableText):
        _parse(q="a\x00")


def test_pages_is_zero_without_results_and_rounds_up() -> None:
    assert Page(items=[], total=0, page=1, limit=20).pages == 0
    assert Page(items=[], total=41, page=1, limit=20).pages == 3


def test_a_library_caller_builds_the_listing_from_typed_values() -> None:
    listing = TaskListing(page=2, limit=50, status=TaskStatus.PENDING, sort=SortField.TITLE)
    query = listing.query((), NOW)
    assert (query.page, query.limit, query.completed, query.offset) == (2, 50, False, 50)
    with pytest.raises(InvalidPagination) as raised:
        TaskListing(page=0)
    assert raised.value.field == "page"
    assert TaskListing(limit=1000).limit == 100
