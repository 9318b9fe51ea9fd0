"""Single-use email tokens in SQL: digests only; using one up is one conditional UPDATE."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.tables import one_time_tokens
from todo_api.application.auth.one_time import OneTimeToken, TokenPurpose
from todo_api.application.ports import OneTimeTokenRepository
from todo_api.domain.email import Email
from todo_api.domain.ids import UserId

__all__ = ["SqlAlchemyOneTimeTokenRepository"]


class SqlAlchemyOneTimeTokenRepository(OneTimeTokenRepository):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, token: OneTimeToken) -> None:
        await self._connection.execute(
            one_time_tokens.insert().values(
                digest=token.digest,
                user_id=token.user_id,
                purpose=token.purpose.value,
                new_email=token.new_email.value if token.new_email else None,
                expires_at=token.expires_at,
            )
        )

    async def find(self, digest: str, purpose: TokenPurpose, now: datetime) -> OneTimeToken | None:
        row = (
            await self._connection.execute(
                sa.select(one_time_tokens).where(_live(digest, purpose, now))
            )
        ).one_or_none()
        return _token(row) if row else None

    async def consume(
        self, digest: str, purpose: TokenPurpose, now: datetime
    ) -> OneTimeToken | None:
        row = (
            await self._connection.execute(
                one_time_tokens.update()
                .where(_live(digest, purpose, now))
                .values(used_at=now)
                .returning(*one_time_tokens.c)
            )
        ).one_or_none()
        return _token(row) if row else None

    async def discard(self, user_id: UserId, purpose: TokenPurpose) -> None:
        await self._connection.execute(
            one_time_tokens.delete().where(
                one_time_tokens.c.user_id == user_id,
                one_time_tokens.c.purpose == purpose.value,
                one_time_tokens.c.used_at.is_(None),
            )
        )


def _live(digest: str, purpose: TokenPurpose, now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        one_time_tokens.c.digest == digest,
        one_time_tokens.c.purpose == purpose.value,
        one_time_tokens.c.used_at.is_(None),
        one_time_tokens.c.expires_at > now,
    )


def _token(row: sa.Row[tuple[object, ...]]) -> OneTimeToken:
    data = row._mapping
    return OneTimeToken(
        digest=data["digest"],
        user_id=UserId(data["user_id"]),
        purpose=TokenPurpose(data["purpose"]),
        expires_at=data["expires_at"],
        new_email=Email(data["new_email"]) if data["new_email"] else None,
    )
