"""The statements of task listings: which index a page walks, per filter and sort (ADR 0014).

A statement depends only on a query's shape (which filters, which order, which dialect), so each
is built once and reused with new values.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from todo_api.adapters.persistence.tables import UtcDateTime, tags, task_tag_link, tasks
from todo_api.adapters.persistence.task_order import due_key_sql, urgency_sql
from todo_api.application.listing import SortField, TagMode, TaskQuery
from todo_api.domain.ids import UserId

__all__ = ["ListingShape", "count_statement", "listing_values", "page_statement", "with_tags"]


def with_tags(task_rows: sa.FromClause) -> sa.Select[tuple[object, ...]]:
    """Task rows joined to their tags: a row per tag, or one with null tag columns."""
    return sa.select(
        task_rows,
        tags.c.id.label("tag_id"),
        tags.c.name.label("tag_name"),
        tags.c.color.label("tag_color"),
        tags.c.version.label("tag_version"),
    ).select_from(
        task_rows.outerjoin(task_tag_link, task_tag_link.c.task_id == task_rows.c.id).outerjoin(
            tags, tags.c.id == task_tag_link.c.tag_id
        )
    )


@dataclass(frozen=True, slots=True)
class ListingShape:
    """Which filters and which order a query has: the statement depends on nothing else."""

    dialect: str
    completed: bool
    priority: bool
    tag_mode: TagMode | None
    several_tags: bool
    search: bool
    due_from: bool
    due_to: bool
    all_day_from: bool
    all_day_to: bool
    all_day_differs: bool
    updated_after: bool
    sort: SortField
    descending: bool
    keyset: bool
    counted: bool

    @classmethod
    def of(
        cls, query: TaskQuery, dialect: str, *, keyset: bool, counted: bool = False
    ) -> ListingShape:
        return cls(
            dialect=dialect,
            completed=query.completed is not None,
            priority=query.priority is not None,
            tag_mode=query.tag_mode if query.tag_ids else None,
            several_tags=len(query.tag_ids) > 1,
            search=bool(query.search),
            due_from=query.due_from is not None,
            due_to=query.due_to is not None,
            all_day_from=query.all_day_range[0] is not None,
            all_day_to=query.all_day_range[1] is not None,
            all_day_differs=query.all_day_differs,
            updated_after=query.updated_after is not None,
            sort=query.sort,
            descending=query.descending,
            keyset=keyset,
            counted=counted,
        )

    @property
    def by_tag(self) -> bool:
        """Walk the first tag's links, which carry every sort key but relevance: one tag, or
        several that a task needs all of."""
        return (
            self.tag_mode is not None
            and (not self.several_tags or self.tag_mode is TagMode.ALL)
            and not self.ranked
        )

    @property
    def by_each_tag(self) -> bool:
        """Several tags of which a task needs any: walk each tag's links and merge the walks
        (Postgres, with LATERAL; SQLite checks the tags per task along the sort's index)."""
        return (
            self.tag_mode is TagMode.ANY
            and self.several_tags
            and not self.ranked
            and self.dialect == "postgresql"
        )

    @property
    def ranked(self) -> bool:
        return self.sort is SortField.RELEVANCE

    @property
    def full_text(self) -> bool:
        """Word forms and near misses match too: Postgres ranks a search by relevance so."""
        return self.ranked and self.dialect == "postgresql"


def listing_values(user_id: UserId, query: TaskQuery) -> dict[str, object]:
    return {
        "user_id": user_id,
        "completed": query.completed,
        "priority": query.priority.value if query.priority else None,
        "tag_ids": list(query.tag_ids),
        "first_tag": query.tag_ids[0] if query.tag_ids else None,
        "tag_id_array": list(query.tag_ids),
        "tag_count": len(query.tag_ids),
        "search": query.search,
        "pattern": "%" + _escape_like(query.search) + "%" if query.search else None,
        "due_from": query.due_from,
        "due_to": query.due_to,
        "all_day_due_from": query.all_day_range[0],
        "all_day_due_to": query.all_day_range[1],
        "updated_after": query.updated_after,
        "limit": query.limit,
        "offset": query.offset,
        "window": query.relevance_window,
    }


# Statements are built once per shape (a few hundred at most) and reused with new values:
# building them per request cost more than running them, and a stable SQL text lets psycopg
# prepare it.
@functools.cache
def page_statement(shape: ListingShape) -> sa.Select[tuple[object, ...]]:
    """One page, walked along the sort's index (or the first tag's links' index for that
    sort, or each tag's), joined to its tags: a row per tag. A counted shape's rows also carry
    the number of matches (`total`): one round trip for page and count."""
    page = (_each_tag_page(shape) if shape.by_each_tag else _one_walk_page(shape)).cte("page")
    statement = with_tags(page)
    if shape.counted:
        statement = statement.add_columns(_total(shape, page).label("total"))
    return statement.order_by(
        *_directed(shape, page.c.sort_key, page.c.id), sa.func.lower(tags.c.name), tags.c.id
    )


def _total(shape: ListingShape, page: sa.CTE) -> sa.ColumnElement[int]:
    """The number of matches: the page's own length when it is a first page with room to
    spare, else the count. Postgres and SQLite evaluate the count only when the CASE reaches
    it, so a result that fits on its first page is never counted."""
    shown = sa.select(sa.func.count()).select_from(page).scalar_subquery()
    first_and_not_full = sa.and_(
        sa.bindparam("offset", type_=sa.Integer) == 0,
        shown < sa.bindparam("limit", type_=sa.Integer),
    )
    return sa.case((first_and_not_full, shown), else_=count_statement(shape).scalar_subquery())


def _one_walk_page(shape: ListingShape) -> sa.Select[tuple[object, ...]]:
    if shape.ranked:
        return _ranked_page(shape)
    key = _link_sort_key(shape) if shape.by_tag else _sort_key(shape)
    task_id = task_tag_link.c.task_id if shape.by_tag else tasks.c.id
    condition = _condition(shape)
    if shape.keyset:
        after = sa.tuple_(key, task_id)
        position = sa.tuple_(
            sa.bindparam("after_key", type_=key.type), sa.bindparam("after_id", type_=sa.Integer)
        )
        condition = sa.and_(condition, after < position if shape.descending else after > position)
    return (
        sa.select(tasks, key.label("sort_key"))
        .select_from(_source(shape))
        .where(condition)
        .order_by(*_directed(shape, key, task_id))
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
    )


def _ranked_page(shape: ListingShape) -> sa.Select[tuple[object, ...]]:
    """The window of most recently updated matches (walked along the updated_at index, so its
    cost does not grow with the number of matches), scored, best first."""
    window = _window(shape)
    key = _relevance(shape, window)
    condition: sa.ColumnElement[bool] = sa.true()
    if shape.keyset:
        position = sa.tuple_(
            sa.bindparam("after_key", type_=key.type), sa.bindparam("after_id", type_=sa.Integer)
        )
        condition = sa.tuple_(key, window.c.id) < position
    return (
        sa.select(*(window.c[column.name] for column in tasks.c), key.label("sort_key"))
        .where(condition)
        .order_by(key.desc(), window.c.id.desc())
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
    )


def _window(shape: ListingShape) -> sa.Subquery:
    columns: list[sa.ColumnElement[object] | sa.Table] = [tasks]
    if shape.full_text:
        columns.append(_SEARCH_VECTOR.label("search_vector"))
    return (
        sa.select(*columns)
        .where(_condition(shape, walked=True))
        .order_by(tasks.c.updated_at.desc(), tasks.c.id.desc())
        .limit(sa.bindparam("window", type_=sa.Integer))
        .subquery("window")
    )


def _each_tag_page(shape: ListingShape) -> sa.Select[tuple[object, ...]]:
    """Each wanted tag's links walked from the position (a page's worth each), merged: a task
    with several of the tags comes once."""
    walked = task_tag_link.alias("walked")
    key = _link_sort_key(shape, walked)
    wanted = (
        sa.func.unnest(sa.bindparam("tag_id_array", type_=postgresql.ARRAY(sa.Integer)))
        .table_valued("tag_id")
        .render_derived(name="wanted")
    )
    condition = sa.and_(walked.c.tag_id == wanted.c.tag_id, _condition(shape))
    if shape.keyset:
        after = sa.tuple_(key, walked.c.task_id)
        position = sa.tuple_(
            sa.bindparam("after_key", type_=key.type), sa.bindparam("after_id", type_=sa.Integer)
        )
        condition = sa.and_(condition, after < position if shape.descending else after > position)
    enough = sa.bindparam("limit", type_=sa.Integer) + sa.bindparam("offset", type_=sa.Integer)
    hit = (
        sa.select(tasks, key.label("sort_key"))
        .select_from(tasks.join(walked, walked.c.task_id == tasks.c.id))
        .where(condition)
        .order_by(*_directed(shape, key, walked.c.task_id))
        .limit(enough)
        .lateral("hit")
    )
    merged = sa.select(hit).select_from(wanted.join(hit, sa.true())).distinct().subquery("merged")
    return (
        sa.select(merged)
        .order_by(*_directed(shape, merged.c.sort_key, merged.c.id))
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
    )


@functools.cache
def count_statement(shape: ListingShape) -> sa.Select[int]:
    if shape.ranked:
        return sa.select(sa.func.count()).select_from(_window(shape))
    # A merge of each tag's walks has no single walk to count along: count the tag condition.
    condition = _condition(shape, tags_checked=shape.by_each_tag)
    return sa.select(sa.func.count()).select_from(_source(shape)).where(condition)


def _source(shape: ListingShape) -> sa.FromClause:
    """The user's tasks, or the first tag's links joined to their tasks."""
    if not shape.by_tag:
        return tasks
    return tasks.join(
        task_tag_link,
        sa.and_(
            task_tag_link.c.task_id == tasks.c.id,
            task_tag_link.c.tag_id == sa.bindparam("first_tag", type_=sa.Integer),
        ),
    )


def _directed(
    shape: ListingShape, key: sa.ColumnElement[object], task_id: sa.ColumnElement[object]
) -> list[sa.ColumnElement[object]]:
    if shape.descending:
        return [key.desc(), task_id.desc()]
    return [key.asc(), task_id.asc()]


def _sort_key(shape: ListingShape) -> sa.ColumnElement[object]:
    """The sort's key, written as its index is (migration 0004), so the planner walks it."""
    if shape.sort is SortField.CREATED_AT:
        return tasks.c.created_at
    if shape.sort is SortField.UPDATED_AT:
        return tasks.c.updated_at
    if shape.sort is SortField.DUE_DATE:
        return sa.literal_column(due_key_sql(shape.dialect, "tasks.due_date"), UtcDateTime())
    if shape.sort is SortField.PRIORITY:
        return sa.literal_column(urgency_sql("tasks.priority"), sa.Integer())
    assert shape.sort is SortField.TITLE, "relevance is a window's score (_ranked_page)"
    return sa.func.lower(tasks.c.title)


def _link_sort_key(
    shape: ListingShape, links: sa.FromClause = task_tag_link
) -> sa.ColumnElement[object]:
    """The sort's key as tag links carry it (migration 0008)."""
    column = {
        SortField.CREATED_AT: "created_at",
        SortField.UPDATED_AT: "updated_at",
        SortField.DUE_DATE: "due_key",
        SortField.PRIORITY: "urgency",
        SortField.TITLE: "sort_title",
    }[shape.sort]
    key: sa.ColumnElement[object] = links.c[column]
    return key


def _relevance(shape: ListingShape, window: sa.Subquery) -> sa.ColumnElement[object]:
    """Title matches above description matches; on Postgres, plus the full-text rank (title
    weighted above description) and the title's trigram similarity, for word forms and typos."""
    pattern = sa.bindparam("pattern", type_=sa.String)
    score: sa.ColumnElement[object] = sa.case(
        (window.c.title.ilike(pattern, escape="\\"), 2.0), else_=0.0
    ) + sa.case((window.c.description.ilike(pattern, escape="\\"), 1.0), else_=0.0)
    if shape.full_text:
        score = (
            score
            + sa.func.ts_rank(window.c.search_vector, _web_query())
            + sa.func.word_similarity(sa.bindparam("search", type_=sa.String), window.c.title)
        )
    return sa.cast(score, sa.Double())


_SEARCH_VECTOR: sa.ColumnElement[object] = sa.literal_column("tasks.search_vector")


def _web_query() -> sa.ColumnElement[object]:
    return sa.func.websearch_to_tsquery(
        sa.literal_column("'english'::regconfig"), sa.bindparam("search", type_=sa.String)
    )


def _condition(
    shape: ListingShape, *, walked: bool = False, tags_checked: bool = False
) -> sa.ColumnElement[bool]:
    """What a listed task satisfies. `walked`: the search is checked on each row of a walk of
    the user's own index, never looked up in the search indexes, which hold every user's
    tasks (for a user with few tasks the planner would otherwise read every user's matches).
    `tags_checked`: the tag filter is a condition even where the walk would apply it."""
    clauses: list[sa.ColumnElement[bool]] = [tasks.c.user_id == sa.bindparam("user_id")]
    if shape.completed:
        clauses.append(tasks.c.completed == sa.bindparam("completed", type_=sa.Boolean))
    if shape.priority:
        clauses.append(tasks.c.priority == sa.bindparam("priority", type_=sa.String))
    if (
        shape.tag_mode is not None
        and (tags_checked or not shape.by_each_tag)
        and (shape.several_tags or not shape.by_tag)
    ):
        clauses.append(_tag_condition(shape.tag_mode))
    clauses.extend(_due_clauses(shape))
    if shape.updated_after:
        clauses.append(tasks.c.updated_at > sa.bindparam("updated_after", type_=UtcDateTime))
    if shape.search:
        # ILIKE on Postgres (served by the pg_trgm indexes); lower() LIKE lower() on SQLite.
        pattern = sa.bindparam("pattern", type_=sa.String)
        matches = [
            tasks.c.title.ilike(pattern, escape="\\"),
            tasks.c.description.ilike(pattern, escape="\\"),
        ]
        if shape.full_text:
            search = sa.bindparam("search", type_=sa.String)
            matches += [
                _SEARCH_VECTOR.op("@@")(_web_query()),
                search.op("<%")(tasks.c.title),
            ]
        found = sa.or_(*matches)
        clauses.append(found.is_(True) if walked else found)
    return sa.and_(*clauses)


def _due_clauses(shape: ListingShape) -> list[sa.ColumnElement[bool]]:
    timed = _due_range(shape.due_from, shape.due_to, "due_from", "due_to")
    if not shape.all_day_differs:
        return timed
    # All-day tasks count their whole day: a range of their own.
    all_day = _due_range(shape.all_day_from, shape.all_day_to, "all_day_due_from", "all_day_due_to")
    return [
        sa.or_(
            sa.and_(tasks.c.all_day.is_(False), *timed),
            sa.and_(tasks.c.all_day.is_(True), *all_day),
        )
    ]


def _due_range(
    has_start: bool, has_end: bool, start: str, end: str
) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = []
    if has_start:
        clauses.append(tasks.c.due_date >= sa.bindparam(start, type_=UtcDateTime))
    if has_end:
        clauses.append(tasks.c.due_date < sa.bindparam(end, type_=UtcDateTime))
    return clauses


def _tag_condition(mode: TagMode) -> sa.ColumnElement[bool]:
    # An alias of its own: the page may walk task_tag_link itself (the first tag's links).
    link = task_tag_link.alias("tagged")
    linked = sa.and_(
        link.c.task_id == tasks.c.id,
        link.c.tag_id.in_(sa.bindparam("tag_ids", expanding=True)),
    )
    if mode is TagMode.ANY:
        return sa.exists().where(linked)
    matched = sa.select(sa.func.count()).where(linked).scalar_subquery()
    return matched == sa.bindparam("tag_count", type_=sa.Integer)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
