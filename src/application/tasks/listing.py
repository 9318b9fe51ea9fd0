"""Listing the caller's tasks: filtered, searched, sorted, one page at a time."""

from __future__ import annotations

from todo_api.application.listing import Page, TaskListing
from todo_api.application.ports import UnitOfWork
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.task import Task
from todo_api.domain.text import storable

__all__ = ["ListTasks"]


class ListTasks:
    """A page of the caller's tasks; a tag filter naming no tag of theirs finds nothing."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, listing: TaskListing) -> Page[Task]:
        async with self._uow as uow:
            tag_id: TagId | None = None
            if listing.tag is not None:
                tag = None
                if isinstance(listing.tag, int):
                    tag = await uow.tags.get(user_id, listing.tag)
                else:
                    wanted = storable(listing.tag.strip(), "tag")
                    if wanted.isascii() and wanted.isdigit() and len(wanted) < 10:
                        tag = await uow.tags.get(user_id, TagId(int(wanted)))
                    tag = tag or await uow.tags.get_by_name(user_id, wanted)
                if tag is None:
                    return Page(items=[], total=0, page=listing.page, limit=listing.limit)
                tag_id = tag.id
            return await uow.tasks.search(user_id, listing.query(tag_id))
