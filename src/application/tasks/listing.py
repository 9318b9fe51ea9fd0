"""Listing the caller's tasks: filtered, searched, sorted, by page number or by cursor."""

from __future__ import annotations

from todo_api.application.cursor import CursorCodec
from todo_api.application.listing import CursorPage, Page, TagMode, TaskListing, TaskQuery
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.application.tasks.owner_zone import zone_of
from todo_api.application.tasks.task_view import TaskView
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.text import storable
from todo_api.domain.timezone import UTC_ZONE

__all__ = ["ListTasks"]


class ListTasks:
    """The caller's tasks; tag filters naming no tag of theirs match nothing (mode `all`) or are
    left out (mode `any`, where nothing matches once none is left)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, cursors: CursorCodec) -> None:
        self._uow = uow
        self._clock = clock
        self._cursors = cursors

    async def execute(self, user_id: UserId, listing: TaskListing) -> Page[TaskView]:
        """One numbered page, with the total."""
        async with self._uow as uow:
            query = await self._query(uow, user_id, listing)
            if query is None:
                return Page(items=[], total=0, page=listing.page, limit=listing.limit)
            return await uow.tasks.search(user_id, query)

    async def by_cursor(
        self, user_id: UserId, listing: TaskListing, cursor: str = ""
    ) -> CursorPage[TaskView]:
        """The page after `cursor` (the first page for an empty one) and the next cursor.

        Raises:
            InvalidCursor: the cursor was altered or issued for another sort or filter.
        """
        binding = listing.binding()
        after = self._cursors.decode(cursor, binding, listing.sort) if cursor else None
        async with self._uow as uow:
            query = await self._query(uow, user_id, listing)
            if query is None:
                return CursorPage(items=[])
            found = await uow.tasks.scan(user_id, query, after)
        if len(found) <= listing.limit:
            return CursorPage(items=[task for task, _ in found])
        shown = found[: listing.limit]
        return CursorPage(
            items=[task for task, _ in shown],
            next_cursor=self._cursors.encode(shown[-1][1], binding),
        )

    async def _query(
        self, uow: UnitOfWork, user_id: UserId, listing: TaskListing
    ) -> TaskQuery | None:
        """The repository's query, or None when the tag filter rules every task out."""
        tag_ids = await _owned_tag_ids(uow, user_id, listing)
        if listing.tags and (
            not tag_ids or (listing.tag_mode is TagMode.ALL and len(tag_ids) < len(listing.tags))
        ):
            return None
        relative = listing.overdue or listing.due_within is not None
        zone = await zone_of(uow, user_id) if relative else UTC_ZONE
        return listing.query(tag_ids, self._clock.now(), zone)


async def _owned_tag_ids(
    uow: UnitOfWork, user_id: UserId, listing: TaskListing
) -> tuple[TagId, ...]:
    found: dict[TagId, None] = {}
    for wanted in listing.tags:
        tag = None
        if isinstance(wanted, int):
            tag = await uow.tags.get(user_id, wanted)
        else:
            name = storable(wanted.strip(), "tag")
            if name.isascii() and name.isdigit() and len(name) < 10:
                tag = await uow.tags.get(user_id, TagId(int(name)))
            tag = tag or await uow.tags.get_by_name(user_id, name)
        if tag is not None:
            found[tag.id] = None
    return tuple(found)
