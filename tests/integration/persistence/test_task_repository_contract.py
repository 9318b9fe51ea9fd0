"""The behaviour every TaskRepository and TagRepository must share (memory, SQLite, Postgres)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.integration.persistence.conftest import UowFactory
from todo_api.application.errors import TagAlreadyExists
from todo_api.application.listing import Position, SortField, TagMode, TaskQuery
from todo_api.domain.email import Email
from todo_api.domain.ids import UserId
from todo_api.domain.tag import Color, NewTag, Tag, TagName
from todo_api.domain.task import NewTask, Priority, Task, TaskFields, Title
from todo_api.domain.user import User
from todo_api.entrypoints.http.listing_params import ListingParams, task_listing

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


async def _user(uow_factory: UowFactory, email: str = "ann@example.com") -> UserId:
    user = User.register(email=Email.parse(email), password_hash="h", name=None, now=T0)
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user.id


async def _tag(
    uow_factory: UowFactory, user_id: UserId, name: str, color: str | None = None
) -> Tag:
    async with uow_factory() as uow:
        tag = await uow.tags.add(
            NewTag(user_id=user_id, name=TagName(name), color=Color(color) if color else None)
        )
        await uow.commit()
    return tag


async def _task(
    uow_factory: UowFactory,
    user_id: UserId,
    title: str,
    *,
    tags: list[Tag] = (),
    minutes: int = 0,
    **fields: object,
) -> Task:
    new = NewTask.create(
        user_id=user_id,
        fields=TaskFields.parse(title=title, **fields),
        tags=list(tags),
        now=T0 + timedelta(minutes=minutes),
    )
    async with uow_factory() as uow:
        task = await uow.tasks.add(new)
        await uow.commit()
    return task


async def _titles(uow_factory: UowFactory, user_id: UserId, query: TaskQuery) -> list[str]:
    async with uow_factory() as uow:
        page = await uow.tasks.search(user_id, query)
    return [task.title for task in page.items]


async def test_a_task_reads_back_with_its_tags_by_name(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    work, home = await _tag(uow_factory, ann, "work"), await _tag(uow_factory, ann, "Home")
    task = await _task(
        uow_factory,
        ann,
        "Plan",
        tags=[work, home],
        description="d",
        priority="high",
        due_date="2026-02-01T10:00:00Z",
        recurrence_rule="FREQ=DAILY;COUNT=2",
    )
    async with uow_factory() as uow:
        loaded = await uow.tasks.get(ann, task.id)
    assert loaded == task
    assert [t.name for t in loaded.tags] == ["Home", "work"]


async def test_another_users_task_and_tag_are_invisible(uow_factory: UowFactory) -> None:
    ann, bob = await _user(uow_factory), await _user(uow_factory, "bob@example.com")
    tag = await _tag(uow_factory, ann, "work")
    task = await _task(uow_factory, ann, "Mine", tags=[tag])
    async with uow_factory() as uow:
        assert await uow.tasks.get(bob, task.id) is None
        assert await uow.tags.get(bob, tag.id) is None
        assert await uow.tags.find(bob, [tag.id]) == []
        assert await uow.tags.get_by_name(bob, "work") is None
        assert not await uow.tasks.delete(bob, task.id)
        assert not await uow.tags.delete(bob, tag.id)
        assert (await uow.tasks.search(bob, TaskQuery())).total == 0


async def test_tag_names_are_unique_per_user_in_any_case(uow_factory: UowFactory) -> None:
    ann, bob = await _user(uow_factory), await _user(uow_factory, "bob@example.com")
    await _tag(uow_factory, ann, "Work")
    with pytest.raises(TagAlreadyExists):
        await _tag(uow_factory, ann, "wORK")
    await _tag(uow_factory, bob, "work")
    other = await _tag(uow_factory, ann, "Home")
    other.rename("WORK")
    with pytest.raises(TagAlreadyExists):
        async with uow_factory() as uow:
            await uow.tags.update(other)


async def test_tags_list_by_name_case_insensitively(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    for name in ("beta", "Alpha", "gamma"):
        await _tag(uow_factory, ann, name)
    async with uow_factory() as uow:
        assert [t.name for t in await uow.tags.list_by_name(ann)] == ["Alpha", "beta", "gamma"]
        found = await uow.tags.get_by_name(ann, "ALPHA")
    assert found is not None and found.name == "Alpha"


async def test_deleting_a_tag_keeps_its_tasks_and_drops_the_links(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    tag = await _tag(uow_factory, ann, "work")
    task = await _task(uow_factory, ann, "Keep me", tags=[tag])
    async with uow_factory() as uow:
        assert await uow.tags.delete(ann, tag.id)
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.tasks.get(ann, task.id)
    assert loaded is not None and loaded.tags == []


async def test_link_and_unlink_report_whether_anything_changed(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    tag = await _tag(uow_factory, ann, "work")
    task = await _task(uow_factory, ann, "t")
    async with uow_factory() as uow:
        assert await uow.tasks.link(task.id, tag.id)
        assert not await uow.tasks.link(task.id, tag.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert [t.id for t in (await uow.tasks.get(ann, task.id)).tags] == [tag.id]
        assert await uow.tasks.unlink(task.id, tag.id)
        assert not await uow.tasks.unlink(task.id, tag.id)


async def test_update_rewrites_fields_and_optionally_links(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    one, two = await _tag(uow_factory, ann, "one"), await _tag(uow_factory, ann, "two")
    task = await _task(uow_factory, ann, "before", tags=[one])
    task.apply(TaskFields.parse(title="after", priority="low"), T0 + timedelta(hours=1))
    task.retag([two], T0 + timedelta(hours=1))
    async with uow_factory() as uow:
        await uow.tasks.update(task, tags_changed=True)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.get(ann, task.id) == task


async def test_deleting_a_task_drops_its_links(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    tag = await _tag(uow_factory, ann, "work")
    task = await _task(uow_factory, ann, "t", tags=[tag])
    async with uow_factory() as uow:
        assert await uow.tasks.delete(ann, task.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.tasks.get(ann, task.id) is None
        assert await uow.tags.get(ann, tag.id) is not None
        assert not await uow.tasks.unlink(task.id, tag.id)


@pytest.fixture
async def catalogue(uow_factory: UowFactory) -> tuple[UserId, dict[str, Tag]]:
    """Six tasks with every sort key varied, ties on purpose, plus another user's task."""
    ann = await _user(uow_factory)
    work = await _tag(uow_factory, ann, "work")
    home = await _tag(uow_factory, ann, "home")
    specs = [
        ("b report", "medium", "2026-03-01T00:00:00Z", False, [work], "50% done"),
        ("A plan", "high", None, True, [work, home], None),
        ("c_call", "low", "2026-01-01T00:00:00Z", False, [], "call Bob"),
        ("D review", "high", "2026-02-01T00:00:00Z", False, [home], "under_score"),
        ("e chores", "medium", None, False, [home], None),
        ("b report", "low", "2026-03-01T00:00:00Z", True, [], "second of the name"),
    ]
    for minute, (title, priority, due, done, task_tags, description) in enumerate(specs):
        await _task(
            uow_factory,
            ann,
            title,
            tags=task_tags,
            minutes=minute,
            priority=priority,
            due_date=due,
            completed=done,
            description=description,
        )
    bob = await _user(uow_factory, "bob@example.com")
    await _task(uow_factory, bob, "bob's b report")
    return ann, {"work": work, "home": home}


DIRECTED_SORTS = [
    f"{sign}{f.value}" for f in SortField if f is not SortField.RELEVANCE for sign in ("", "-")
]


def _q(**raw: str) -> TaskQuery:
    return task_listing(ListingParams(**raw)).query((), T0)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("created_at", ["b report", "A plan", "c_call", "D review", "e chores", "b report"]),
        ("-created_at", ["b report", "e chores", "D review", "c_call", "A plan", "b report"]),
        ("title", ["A plan", "b report", "b report", "c_call", "D review", "e chores"]),
        ("-title", ["e chores", "D review", "c_call", "b report", "b report", "A plan"]),
        ("priority", ["A plan", "D review", "b report", "e chores", "c_call", "b report"]),
        ("-priority", ["b report", "c_call", "e chores", "b report", "D review", "A plan"]),
        ("due_date", ["c_call", "D review", "b report", "b report", "A plan", "e chores"]),
        ("-due_date", ["e chores", "A plan", "b report", "b report", "D review", "c_call"]),
    ],
)
async def test_every_sort_key_in_both_directions_with_id_tie_breaks(
    uow_factory: UowFactory,
    catalogue: tuple[UserId, dict[str, Tag]],
    sort: str,
    expected: list[str],
) -> None:
    ann, _ = catalogue
    assert await _titles(uow_factory, ann, _q(sort=sort)) == expected


async def test_ties_break_on_id_in_the_sort_direction(
    uow_factory: UowFactory, catalogue: tuple[UserId, dict[str, Tag]]
) -> None:
    ann, _ = catalogue
    async with uow_factory() as uow:
        ascending = (await uow.tasks.search(ann, _q(sort="title"))).items
        descending = (await uow.tasks.search(ann, _q(sort="-title"))).items
    same_title = [t.id for t in ascending if t.title == "b report"]
    assert same_title == sorted(same_title)
    assert [t.id for t in descending if t.title == "b report"] == sorted(same_title, reverse=True)


async def test_pages_neither_overlap_nor_skip(
    uow_factory: UowFactory, catalogue: tuple[UserId, dict[str, Tag]]
) -> None:
    ann, _ = catalogue
    for sort in DIRECTED_SORTS:
        seen: list[int] = []
        for page in (1, 2, 3):
            async with uow_factory() as uow:
                result = await uow.tasks.search(ann, _q(sort=sort, limit="2", page=str(page)))
            assert result.total == 6
            seen += [t.id for t in result.items]
        assert len(seen) == len(set(seen)) == 6, sort


@pytest.mark.parametrize("sort", [*DIRECTED_SORTS, "relevance"])
async def test_cursor_pages_walk_the_same_order_as_numbered_pages(
    uow_factory: UowFactory, catalogue: tuple[UserId, dict[str, Tag]], sort: str
) -> None:
    ann, _ = catalogue
    search = {"q": "e"} if sort == "relevance" else {}
    async with uow_factory() as uow:
        everything = await uow.tasks.search(ann, _q(sort=sort, limit="100", **search))
    walked: list[int] = []
    after: Position | None = None
    while True:
        async with uow_factory() as uow:
            found = await uow.tasks.scan(ann, _q(sort=sort, limit="2", **search), after)
        assert len(found) <= 3  # a page and one more, to tell whether another page follows
        walked += [task.id for task, _ in found[:2]]
        if len(found) <= 2:
            break
        after = found[1][1]
    assert walked == [task.id for task in everything.items], sort
    assert len(walked) == everything.total > 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"status": "completed"}, {"A plan", "b report"}),
        ({"status": "pending"}, {"b report", "c_call", "D review", "e chores"}),
        ({"priority": "high"}, {"A plan", "D review"}),
        ({"q": "REPORT"}, {"b report"}),
        ({"q": "%"}, {"b report"}),
        ({"q": "_"}, {"c_call", "D review"}),
        ({"q": "bob"}, {"c_call"}),
        ({"q": "nothing like it"}, set()),
        ({"priority": "low", "status": "pending"}, {"c_call"}),
    ],
)
async def test_filters_and_search(
    uow_factory: UowFactory,
    catalogue: tuple[UserId, dict[str, Tag]],
    raw: dict[str, str],
    expected: set[str],
) -> None:
    ann, _ = catalogue
    assert set(await _titles(uow_factory, ann, _q(**raw))) == expected


async def test_tag_filter_and_totals(
    uow_factory: UowFactory, catalogue: tuple[UserId, dict[str, Tag]]
) -> None:
    ann, tags = catalogue
    async with uow_factory() as uow:
        page = await uow.tasks.search(ann, replace(_q(limit="1"), tag_ids=(tags["home"].id,)))
    assert page.total == 3
    assert len(page.items) == 1
    assert page.pages == 3
    assert "home" in [t.name for t in page.items[0].tags]


@pytest.mark.parametrize(
    ("tags", "mode", "expected"),
    [
        (("work", "home"), TagMode.ANY, {"b report", "A plan", "D review", "e chores"}),
        (("work", "home"), TagMode.ALL, {"A plan"}),
        (("home",), TagMode.ALL, {"A plan", "D review", "e chores"}),
    ],
)
async def test_tag_filters_any_or_all(
    uow_factory: UowFactory,
    catalogue: tuple[UserId, dict[str, Tag]],
    tags: tuple[str, ...],
    mode: TagMode,
    expected: set[str],
) -> None:
    ann, by_name = catalogue
    query = replace(_q(), tag_ids=tuple(by_name[name].id for name in tags), tag_mode=mode)
    assert set(await _titles(uow_factory, ann, query)) == expected
    async with uow_factory() as uow:
        walked = await uow.tasks.scan(ann, query, None)
        # Numbered pages of one task count the matches, not every task of the user.
        first = await uow.tasks.search(ann, replace(query, limit=1))
    assert {task.title for task, _ in walked} == expected
    assert first.total == len(expected)


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"due_to": datetime(2026, 2, 1, tzinfo=UTC)}, {"c_call"}),
        ({"due_from": datetime(2026, 2, 1, tzinfo=UTC)}, {"D review", "b report"}),
        (
            {
                "due_from": datetime(2026, 1, 15, tzinfo=UTC),
                "due_to": datetime(2026, 3, 1, tzinfo=UTC),
            },
            {"D review"},
        ),
        ({"updated_after": T0 + timedelta(minutes=3, seconds=30)}, {"e chores", "b report"}),
    ],
)
async def test_due_ranges_and_updated_after(
    uow_factory: UowFactory,
    catalogue: tuple[UserId, dict[str, Tag]],
    bounds: dict[str, datetime],
    expected: set[str],
) -> None:
    ann, _ = catalogue
    assert set(await _titles(uow_factory, ann, replace(_q(), **bounds))) == expected


async def test_relevance_ranks_title_matches_above_description_matches(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory)
    await _task(uow_factory, ann, "Pay the rent", description="landlord wants the invoice")
    await _task(uow_factory, ann, "Send invoice", minutes=1)
    await _task(uow_factory, ann, "Call mum", description="about the invoice", minutes=2)
    await _task(uow_factory, ann, "Water plants", minutes=3)
    titles = await _titles(uow_factory, ann, _q(q="invoice", sort="relevance"))
    assert titles[0] == "Send invoice"
    assert set(titles[1:]) == {"Pay the rent", "Call mum"}


async def test_relevance_ranks_only_the_most_recently_updated_matches(
    uow_factory: UowFactory,
) -> None:
    """A bounded window keeps a ranked page's cost flat: the best title match, updated longest
    ago, falls out of a window of two; both modes agree on what is in it."""
    ann = await _user(uow_factory)
    await _task(uow_factory, ann, "Send invoice")
    await _task(uow_factory, ann, "Call mum", description="about the invoice", minutes=1)
    await _task(uow_factory, ann, "Pay rent", description="landlord wants the invoice", minutes=2)
    await _task(uow_factory, ann, "Water plants", minutes=3)
    ranked = _q(q="invoice", sort="relevance")
    async with uow_factory() as uow:
        narrow = await uow.tasks.search(ann, replace(ranked, relevance_window=2))
        walked = await uow.tasks.scan(ann, replace(ranked, relevance_window=2), None)
        wide = await uow.tasks.search(ann, replace(ranked, relevance_window=3))
    assert {t.title for t in narrow.items} == {"Call mum", "Pay rent"}
    assert narrow.total == 2
    assert [t.id for t, _ in walked] == [t.id for t in narrow.items]
    assert wide.items[0].title == "Send invoice"
    assert wide.total == 3


async def test_a_page_past_the_end_is_empty_but_counts(
    uow_factory: UowFactory, catalogue: tuple[UserId, dict[str, Tag]]
) -> None:
    ann, _ = catalogue
    async with uow_factory() as uow:
        page = await uow.tasks.search(ann, _q(page="9"))
    assert (page.items, page.total) == ([], 6)


def test_priority_enum_matches_the_schema_check() -> None:
    assert {p.value for p in Priority} == {"low", "medium", "high"}


async def test_writes_bump_versions_and_honour_an_expected_one(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    tag = await _tag(uow_factory, ann, "work")
    task = await _task(uow_factory, ann, "t", tags=[tag])
    assert (task.version, tag.version) == (1, 1)
    async with uow_factory() as uow:
        assert await uow.tasks.update(task, tags_changed=False, expected_version=1)
        assert not await uow.tasks.update(task, tags_changed=False, expected_version=1)
        assert await uow.tasks.update(task, tags_changed=False)
        tag.rename(TagName("job"))
        assert await uow.tags.update(tag, expected_version=1)
        assert not await uow.tags.update(tag, expected_version=1)
        assert not await uow.tasks.delete(ann, task.id, expected_version=2)
        assert not await uow.tags.delete(ann, tag.id, expected_version=1)
        await uow.commit()
    assert (task.version, tag.version) == (3, 2)
    async with uow_factory() as uow:
        stored = await uow.tasks.get(ann, task.id)
        # The tag's rename was a change of the task showing it, too.
        assert stored is not None and stored.version == 4
        assert [t.version for t in stored.tags] == [2]
        assert await uow.tasks.delete(ann, task.id, expected_version=4)
        assert await uow.tags.delete(ann, tag.id, expected_version=2)
        await uow.commit()


@pytest.mark.parametrize("sort", ["title", "-due_date", "priority", "-updated_at"])
async def test_a_tags_tasks_follow_their_changes_in_every_order(
    uow_factory: UowFactory, sort: str
) -> None:
    ann = await _user(uow_factory)
    tag = await _tag(uow_factory, ann, "work")
    first = await _task(uow_factory, ann, "alpha", tags=[tag], due_date="2026-02-01T00:00:00Z")
    await _task(uow_factory, ann, "beta", tags=[tag], minutes=1, due_date="2026-03-01T00:00:00Z")
    async with uow_factory() as uow:
        first.title = Title("omega")
        first.due_date = datetime(2026, 4, 1, tzinfo=UTC)
        first.priority = Priority.HIGH
        first.updated_at = T0 + timedelta(minutes=5)
        await uow.tasks.update(first, tags_changed=False)
        await uow.commit()
    query = replace(_q(sort=sort), tag_ids=(tag.id,))
    async with uow_factory() as uow:
        walked = [task.title for task, _ in await uow.tasks.scan(ann, query, None)]
        paged = [task.title for task in (await uow.tasks.search(ann, query)).items]
    assert walked == paged == (["omega", "beta"] if sort != "title" else ["beta", "omega"])


@pytest.mark.parametrize("sort", DIRECTED_SORTS)
@pytest.mark.parametrize("mode", list(TagMode))
async def test_cursor_pages_of_several_tags_walk_the_same_order_as_numbered_pages(
    uow_factory: UowFactory, catalogue: tuple[UserId, dict[str, Tag]], sort: str, mode: TagMode
) -> None:
    ann, by_name = catalogue
    query = replace(
        _q(sort=sort, limit="2"),
        tag_ids=(by_name["work"].id, by_name["home"].id),
        tag_mode=mode,
    )
    async with uow_factory() as uow:
        everything = await uow.tasks.search(ann, replace(query, limit=100))
    walked: list[int] = []
    after: Position | None = None
    while True:
        async with uow_factory() as uow:
            found = await uow.tasks.scan(ann, query, after)
        walked += [task.id for task, _ in found[:2]]
        if len(found) <= 2:
            break
        after = found[1][1]
    assert walked == [task.id for task in everything.items]
    assert len(walked) == everything.total == (4 if mode is TagMode.ANY else 1)
    async with uow_factory() as uow:
        second = await uow.tasks.search(ann, replace(query, page=2))
    assert [task.id for task in second.items] == walked[2:4]


async def test_the_all_day_tasks_of_a_user_are_found(uow_factory: UowFactory) -> None:
    ann, bob = await _user(uow_factory), await _user(uow_factory, "bob@example.com")
    whole_day = await _task(uow_factory, ann, "pay", due_date=date(2026, 5, 1))
    moment = await _task(uow_factory, ann, "call", due_date="2026-05-01T09:00:00Z")
    await _task(uow_factory, bob, "bob's", due_date=date(2026, 5, 1))
    assert whole_day.all_day and not moment.all_day
    async with uow_factory() as uow:
        found = await uow.tasks.all_day(ann)
    assert [(t.id, t.due_date, t.title) for t in found] == [
        (whole_day.id, whole_day.due_date, whole_day.title)
    ]
