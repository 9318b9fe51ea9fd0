"""Creating, listing, changing and deleting tags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from todo_api.application.errors import PreconditionFailed, TagNotFound
from todo_api.application.events import Event, EventType
from todo_api.application.idempotency import Once, begin_once, finish_once
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.application.preconditions import IfMatch
from todo_api.application.unset import UNSET, Unset
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.tag import Color, NewTag, Tag, TagName

__all__ = ["CreateTag", "DeleteTag", "GetTag", "ListTags", "TagPatch", "UpdateTag"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TagPatch:
    """The fields to change; UNSET leaves one alone, a None colour clears it."""

    name: TagName | Unset = UNSET
    color: Color | Unset | None = UNSET


class CreateTag:
    """Create a tag; raises TagAlreadyExists when the name is taken in any case, and Replay when
    `once` names a key already used for this request."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self,
        user_id: UserId,
        name: TagName,
        color: Color | None = None,
        once: Once[Tag] | None = None,
    ) -> Tag:
        new = NewTag(user_id=user_id, name=name, color=color)
        now = self._clock.now()
        async with self._uow as uow:
            await begin_once(uow, user_id, once, now)
            tag = await uow.tags.add(new)
            await uow.events.record(Event.about_tag(EventType.TAG_CREATED, tag, now))
            await finish_once(uow, user_id, once, tag)
            await uow.commit()
        return tag


class GetTag:
    """The caller's tag; raises TagNotFound for a missing or another's tag."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId, tag_id: TagId) -> Tag:
        async with self._uow as uow:
            tag = await uow.tags.get(user_id, tag_id)
        if tag is None:
            raise TagNotFound
        return tag


class ListTags:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, user_id: UserId) -> list[Tag]:
        async with self._uow as uow:
            return await uow.tags.list_by_name(user_id)


class UpdateTag:
    """PUT sends both fields (a missing colour clears it); PATCH only those it changes."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, user_id: UserId, tag_id: TagId, patch: TagPatch, if_match: IfMatch | None = None
    ) -> Tag:
        async with self._uow as uow:
            tag = await uow.tags.get(user_id, tag_id)
            if tag is None:
                raise TagNotFound
            expected = if_match.check(tag.version) if if_match is not None else None
            if not isinstance(patch.name, Unset):
                tag.rename(patch.name)
            if not isinstance(patch.color, Unset):
                tag.recolor(patch.color)
            if not await uow.tags.update(tag, expected_version=expected):
                await _refuse(uow, user_id, tag_id)
            await uow.events.record(Event.about_tag(EventType.TAG_UPDATED, tag, self._clock.now()))
            await uow.commit()
        return tag


class DeleteTag:
    """Delete a tag; its links go, its tasks stay."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, user_id: UserId, tag_id: TagId, if_match: IfMatch | None = None
    ) -> None:
        async with self._uow as uow:
            # Read first: the tag.deleted event carries the tag as it last was.
            tag = await uow.tags.get(user_id, tag_id)
            if tag is None:
                raise TagNotFound
            expected = if_match.check(tag.version) if if_match is not None else None
            if not await uow.tags.delete(user_id, tag_id, expected_version=expected):
                await _refuse(uow, user_id, tag_id)
            await uow.events.record(Event.about_tag(EventType.TAG_DELETED, tag, self._clock.now()))
            await uow.commit()


async def _version_of(uow: UnitOfWork, user_id: UserId, tag_id: TagId) -> int:
    tag = await uow.tags.get(user_id, tag_id)
    if tag is None:
        raise TagNotFound
    return tag.version


async def _refuse(uow: UnitOfWork, user_id: UserId, tag_id: TagId) -> NoReturn:
    """The write found no row: the tag is gone, or another write changed it first."""
    raise PreconditionFailed(await _version_of(uow, user_id, tag_id))
