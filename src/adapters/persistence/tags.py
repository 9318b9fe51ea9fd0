"""Tags in SQL, through SQLAlchemy Core."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.integrity import translating_violation
from todo_api.adapters.persistence.tables import tags, task_tag_link, tasks
from todo_api.application.errors import TagAlreadyExists
from todo_api.application.ports import TagRepository
from todo_api.domain.ids import TagId, UserId
from todo_api.domain.tag import Color, NewTag, Tag, TagName

TAG_NAME_UNIQUE = "uq_tags_user_id_name"
TAG_ORDER = (sa.func.lower(tags.c.name), tags.c.id)


# The reads of every listing by tag, built once (building them cost more than running them).
_OWNED = tags.c.user_id == sa.bindparam("owner")
_GET = tags.select().where(_OWNED, tags.c.id == sa.bindparam("tag_id"))
_GET_BY_NAME = tags.select().where(_OWNED, sa.func.lower(tags.c.name) == sa.bindparam("name"))
_BY_NAME = tags.select().where(_OWNED).order_by(*TAG_ORDER)


class SqlAlchemyTagRepository(TagRepository):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, tag: NewTag) -> Tag:
        statement = (
            tags.insert()
            .values(user_id=tag.user_id, name=tag.name, color=tag.color)
            .returning(tags.c.id)
        )
        async with translating_violation(TAG_NAME_UNIQUE, TagAlreadyExists):
            return tag.saved_as(TagId((await self._connection.execute(statement)).scalar_one()))

    async def get(self, user_id: UserId, tag_id: TagId) -> Tag | None:
        result = await self._connection.execute(_GET, {"owner": user_id, "tag_id": tag_id})
        row = result.one_or_none()
        return tag_of(row) if row else None

    async def get_by_name(self, user_id: UserId, name: str) -> Tag | None:
        result = await self._connection.execute(
            _GET_BY_NAME, {"owner": user_id, "name": name.lower()}
        )
        row = result.first()
        return tag_of(row) if row else None

    async def find(self, user_id: UserId, tag_ids: list[TagId]) -> list[Tag]:
        result = await self._connection.execute(
            tags.select()
            .where(tags.c.user_id == user_id, tags.c.id.in_(tag_ids))
            .order_by(*TAG_ORDER)
        )
        return [tag_of(row) for row in result]

    async def list_by_name(self, user_id: UserId) -> list[Tag]:
        result = await self._connection.execute(_BY_NAME, {"owner": user_id})
        return [tag_of(row) for row in result]

    async def update(self, tag: Tag, expected_version: int | None = None) -> bool:
        statement = (
            tags.update()
            .where(tags.c.id == tag.id, tags.c.user_id == tag.user_id)
            .values(name=tag.name, color=tag.color, version=tags.c.version + 1)
            .returning(tags.c.version)
        )
        if expected_version is not None:
            statement = statement.where(tags.c.version == expected_version)
        async with translating_violation(TAG_NAME_UNIQUE, TagAlreadyExists):
            version = (await self._connection.execute(statement)).scalar_one_or_none()
        if version is None:
            return False
        tag.version = version
        # Its tasks show the tag's name and colour: a new version each (their strong ETag), and
        # a change for delta sync.
        await self._connection.execute(
            tasks.update()
            .where(
                tasks.c.id.in_(
                    sa.select(task_tag_link.c.task_id).where(task_tag_link.c.tag_id == tag.id)
                )
            )
            .values(version=tasks.c.version + 1)
        )
        return True

    async def delete(
        self, user_id: UserId, tag_id: TagId, expected_version: int | None = None
    ) -> bool:
        linked = list(
            (
                await self._connection.execute(
                    sa.select(task_tag_link.c.task_id).where(task_tag_link.c.tag_id == tag_id)
                )
            ).scalars()
        )
        statement = tags.delete().where(tags.c.user_id == user_id, tags.c.id == tag_id)
        if expected_version is not None:
            statement = statement.where(tags.c.version == expected_version)
        result = await self._connection.execute(statement)
        if result.rowcount != 1:
            return False
        # Losing a tag changes its tasks: a new version, and a change for delta sync. Their
        # links went with the tag (ON DELETE CASCADE), so they were looked up first.
        if linked:
            await self._connection.execute(
                tasks.update().where(tasks.c.id.in_(linked)).values(version=tasks.c.version + 1)
            )
        return True


def tag_of(row: sa.Row[tuple[object, ...]]) -> Tag:
    data = row._mapping
    return Tag(
        id=TagId(data["id"]),
        user_id=UserId(data["user_id"]),
        name=TagName.stored(data["name"]),
        color=Color.stored(data["color"]) if data["color"] else None,
        version=data["version"],
    )
