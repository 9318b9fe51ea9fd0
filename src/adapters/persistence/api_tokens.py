"""Personal API tokens in SQL: one indexed lookup, joined to the owner, per request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.credential_changes import ignore_change
from todo_api.adapters.persistence.tables import api_tokens, users
from todo_api.adapters.persistence.users import user_of
from todo_api.application.ports import ApiTokenRepository
from todo_api.domain.api_token import ApiToken, Scope, TokenName
from todo_api.domain.ids import UserId
from todo_api.domain.user import User

__all__ = ["SqlAlchemyApiTokenRepository"]

_COLUMNS = [column.label(f"token_{column.name}") for column in api_tokens.c]
_FIND: sa.Select[Any] = (
    sa.select(*_COLUMNS, users)
    .join(users, users.c.id == api_tokens.c.user_id)
    .where(api_tokens.c.lookup == sa.bindparam("lookup"))
)


class SqlAlchemyApiTokenRepository(ApiTokenRepository):
    def __init__(
        self, connection: AsyncConnection, changed: Callable[[str], None] = ignore_change
    ) -> None:
        self._connection = connection
        # Told each credential notice this connection's transaction will send (see the UoW).
        self._changed = changed

    async def add(self, token: ApiToken) -> ApiToken:
        token_id = await self._connection.scalar(
            api_tokens.insert()
            .values(
                user_id=token.user_id,
                name=str(token.name),
                lookup=token.lookup,
                digest=token.digest,
                scopes=sorted(token.scopes),
                created_at=token.created_at,
                expires_at=token.expires_at,
            )
            .returning(api_tokens.c.id)
        )
        token.id = int(token_id or 0)
        return token

    async def find(self, lookup: str) -> tuple[ApiToken, User] | None:
        row = (await self._connection.execute(_FIND, {"lookup": lookup})).one_or_none()
        if row is None:
            return None
        return _token(row, "token_"), user_of(row)

    async def list(self, user_id: UserId) -> list[ApiToken]:
        rows = await self._connection.execute(
            api_tokens.select()
            .where(api_tokens.c.user_id == user_id)
            .order_by(api_tokens.c.created_at.desc(), api_tokens.c.id.desc())
        )
        return [_token(row) for row in rows]

    async def delete(self, user_id: UserId, token_id: int) -> bool:
        self._changed(f"u:{user_id}")  # every credential of the user: the token's among them
        result = await self._connection.execute(
            api_tokens.delete().where(api_tokens.c.user_id == user_id, api_tokens.c.id == token_id)
        )
        return result.rowcount == 1

    async def touch(self, token_id: int, now: datetime) -> None:
        await self._connection.execute(
            api_tokens.update().where(api_tokens.c.id == token_id).values(last_used_at=now)
        )


def _token(row: sa.Row[tuple[object, ...]], prefix: str = "") -> ApiToken:
    data = row._mapping
    return ApiToken(
        id=data[f"{prefix}id"],
        user_id=UserId(data[f"{prefix}user_id"]),
        name=TokenName(data[f"{prefix}name"]),
        lookup=data[f"{prefix}lookup"],
        digest=data[f"{prefix}digest"],
        scopes=frozenset(Scope(s) for s in data[f"{prefix}scopes"]),
        created_at=data[f"{prefix}created_at"],
        expires_at=data[f"{prefix}expires_at"],
        last_used_at=data[f"{prefix}last_used_at"],
    )
