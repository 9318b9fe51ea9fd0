import pytest

from todo_api.application.errors import InvalidPagination, InvalidSortField, InvalidStatus
from todo_api.application.tasks.query import ListRequest, Page, SortField
from todo_api.domain.errors import InvalidPriority, UnstorableText
from todo_api.domain.task import Priority


def test_defaults() -> None:
    query = ListRequest().to_query()
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
        ListRequest(page=page, limit=limit).to_query()


def test_limit_is_capped_at_100() -> None:
    assert ListRequest(limit="1000").to_query().limit == 100
    assert ListRequest(limit="100").to_query().limit == 100
    assert ListRequest(limit="1").to_query().limit == 1


@pytest.mark.parametrize(
    ("status", "completed"), [("all", None), ("pending", False), ("completed", True)]
)
def test_status(status: str, completed: bool | None) -> None:
    assert ListRequest(status=status).to_query().completed is completed


def test_unknown_status_priority_and_sort_are_refused() -> None:
    with pytest.raises(InvalidStatus):
        ListRequest(status="done").to_query()
    with pytest.raises(InvalidPriority):
        ListRequest(priority="urgent").to_query()
    with pytest.raises(InvalidSortField):
        ListRequest(sort="-owner").to_query()


@pytest.mark.parametrize("field", list(SortField))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_key_in_both_directions(field: SortField, descending: bool) -> None:
    query = ListRequest(sort=("-" if descending else "") + field.value).to_query()
    assert (query.sort, query.descending) == (field, descending)


def test_priority_filter_and_search_are_parsed() -> None:
    query = ListRequest(priority="high", q="  50%_off  ").to_query()
    assert query.priority is Priority.HIGH
    assert query.search == "50%_off"
    with pytest.raises(UnstorableText):
        ListRequest(q="a\x00").to_query()


def test_pages_is_zero_without_results_and_rounds_up() -> None:
    assert Page(items=[], total=0, page=1, limit=20).pages == 0
    assert Page(items=[], total=41, page=1, limit=20).pages == 3
