"""Creating, listing, changing and deleting tags."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.errors import TagNotFound
from todo_api.application.ports import UnitOfWork
from todo_api.application.unset import UNSET, Unset
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.tag import Color, NewTag, Tag, TagName

__all__ = ["CreateTag", "DeleteTag", "ListTags", "TagPatch", "UpdateTag"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TagPatch:
    """The fields to change; UNSET leaves one alone, a None colour clears it."""

    name: TagName | Unset = UNSET
    color: Color | Unset | None = UNSET


class CreateTag:
    """Create a tag; raises TagAlreadyExists when the name is taken in any case."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, name: TagName, color: Color | None = None) -> Tag:
        new = NewTag(user_id=user_id, name=name, color=color)
        async with self._uow as uow:
            tag = await uow.tags.add(new)
            await uow.commit()
        return tag


class ListTags:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId) -> list[Tag]:
        async with self._uow as uow:
            return await uow.tags.list_by_name(user_id)


class UpdateTag:
    """PUT sends both fields (a missing colour clears it); PATCH only those it changes."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, tag_id: TagId, patch: TagPatch) -> Tag:
        async with self._uow as uow:
            tag = await uow.tags.get(user_id, tag_id)
            if tag is None:
                raise TagNotFound
            if not isinstance(patch.name, Unset):
                tag.rename(patch.name)
            if not isinstance(patch.color, Unset):
                tag.recolor(patch.color)
            await uow.tags.update(tag)
            await uow.commit()
        return tag


class DeleteTag:
    """Delete a tag; its links go, its tasks stay."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, tag_id: TagId) -> None:
        async with self._uow as uow:
            if not await uow.tags.delete(user_id, tag_id):
                raise TagNotFound
            await uow.commit()
