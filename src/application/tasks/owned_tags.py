"""Resolving tag ids a client sends to the caller's own tags."""

from __future__ import annotations

from todo_api.application.errors import TagNotFound
from todo_api.application.ports import UnitOfWork
from todo_api.domain.errors import TooManyTags
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.tag import Tag
from todo_api.domain.task import MAX_TAGS_PER_TASK


async def owned_tags(uow: UnitOfWork, user_id: UserId, tag_ids: list[TagId]) -> list[Tag]:
    """The caller's tags with these ids; any id that is not theirs is TAG_NOT_FOUND."""
    if len(tag_ids) > MAX_TAGS_PER_TASK:
        # Checked before anything is looked up: a list of 60,000 ids costs nothing to refuse.
        raise TooManyTags
    wanted = list(dict.fromkeys(tag_ids))
    if not wanted:
        return []
    found = await uow.tags.find(user_id, wanted)
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {tag.id for tag in found})
        raise TagNotFound(f"No such tag: {missing[0]}.", field="tag_ids")
    return found
