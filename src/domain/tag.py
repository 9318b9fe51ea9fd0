"""Tags: a user's labels for tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from todo_api.domain.errors import InvalidColor, InvalidTagName
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.text import ValidatedText, has_visible_character, storable

__all__ = ["MAX_TAG_NAME_LENGTH", "Color", "NewTag", "Tag", "TagName", "by_name", "name_order"]

MAX_TAG_NAME_LENGTH = 50
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


class TagName(ValidatedText):
    """Trimmed, then 1 to 50 characters. Names compare case-insensitively per user."""

    __slots__ = ()

    @classmethod
    def validate(cls, raw: str) -> str:
        name = storable(raw, "name").strip()
        if not 1 <= len(name) <= MAX_TAG_NAME_LENGTH or not has_visible_character(name):
            raise InvalidTagName
        return name


class Color(ValidatedText):
    """`#RRGGBB`, kept upper-case so equal colours compare equal."""

    __slots__ = ()

    @classmethod
    def validate(cls, raw: str) -> str:
        # fullmatch: `$` would also accept a trailing newline, which no colour column stores.
        if not _COLOR.fullmatch(raw):
            raise InvalidColor
        return raw.upper()


@dataclass(frozen=True, slots=True, kw_only=True)
class NewTag:
    """A tag not stored yet; the repository gives it its id (`TagRepository.add`)."""

    user_id: UserId
    name: TagName
    color: Color | None = None

    def __post_init__(self) -> None:
        # Free for values already made as TagName and Color; plain text is checked here.
        object.__setattr__(self, "name", TagName(self.name))
        object.__setattr__(self, "color", None if self.color is None else Color(self.color))

    def saved_as(self, tag_id: TagId) -> Tag:
        return Tag(id=tag_id, user_id=self.user_id, name=self.name, color=self.color)


@dataclass(slots=True, kw_only=True)
class Tag:
    id: TagId
    user_id: UserId
    name: TagName
    color: Color | None
    # Bumped by the store on every write: the ETag, and what If-Match compares.
    version: int = 1

    def rename(self, name: TagName) -> None:
        self.name = TagName(name)

    def recolor(self, color: Color | None) -> None:
        self.color = None if color is None else Color(color)


def name_order(tag: Tag) -> tuple[str, int]:
    """The one order of tags everywhere: by name case-insensitively, then by id."""
    return tag.name.lower(), tag.id


def by_name(tags: list[Tag]) -> list[Tag]:
    return sorted(tags, key=name_order)
