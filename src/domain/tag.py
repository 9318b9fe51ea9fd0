"""Tags: a user's labels for tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from todo_api.domain.errors import InvalidColor, InvalidTagName
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.text import storable

MAX_TAG_NAME_LENGTH = 50
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def parse_tag_name(raw: str) -> str:
    """Trim; 1 to 50 characters remain. Names compare case-insensitively per user."""
    name = storable(raw, "name").strip()
    if not 1 <= len(name) <= MAX_TAG_NAME_LENGTH:
        raise InvalidTagName
    return name


def parse_color(raw: str | None) -> str | None:
    """`#RRGGBB` (stored upper-case so equal colours compare equal), or none."""
    if raw is None:
        return None
    if not _COLOR.match(raw):
        raise InvalidColor
    return raw.upper()


@dataclass(frozen=True, slots=True, kw_only=True)
class NewTag:
    """A tag not stored yet; the repository gives it its id (`TagRepository.add`)."""

    user_id: UserId
    name: str
    color: str | None

    @classmethod
    def create(cls, *, user_id: UserId, name: str, color: str | None) -> NewTag:
        return cls(user_id=user_id, name=parse_tag_name(name), color=parse_color(color))

    def saved_as(self, tag_id: TagId) -> Tag:
        return Tag(id=tag_id, user_id=self.user_id, name=self.name, color=self.color)


@dataclass(slots=True, kw_only=True)
class Tag:
    id: TagId
    user_id: UserId
    name: str
    color: str | None

    def rename(self, name: str) -> None:
        self.name = parse_tag_name(name)

    def recolor(self, color: str | None) -> None:
        self.color = parse_color(color)


def name_order(tag: Tag) -> tuple[str, int]:
    """The one order of tags everywhere: by name case-insensitively, then by id."""
    return tag.name.lower(), tag.id


def by_name(tags: list[Tag]) -> list[Tag]:
    return sorted(tags, key=name_order)
