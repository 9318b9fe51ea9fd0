"""Login sessions in SQL, through SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.credential_changes import ignore_change
from todo_api.adapters.persistence.tables import sessions, users
from todo_api.adapters.persistence.users import user_of
from todo_api.application.ports import SessionRepository
from todo_api.domain.ids import SessionId, UserId
from todo_api.domain.session import Session
from todo_api.domain.user import User

_live = sessions.c.revoked_at.is_(None)

# Built once: constructing the statement per request cost more than running it.
_SESSION_WITH_USER = (
    sa.select(sessions, *(c.label(f"owner_{c.name}") for c in users.c))
    .join(users, users.c.id == sessions.c.user_id)
    .where(sessions.c.id == sa.bindparam("session_id"))
)

_LIVE_SESSION_USER = (
    sa.select(users, sessions.c.expires_at.label("session_expires_at"))
    .join(sessions, sessions.c.user_id == users.c.id)
    .where(
        sessions.c.id == sa.bindparam("session_id"),
        sessions.c.user_id == sa.bindparam("user_id"),
        _live,
        sessions.c.expires_at > sa.bindparam("now", type_=sessions.c.expires_at.type),
    )
)


# Built once (a refresh runs it each time); the new values are given at execution.
_SAVE_ROTATION = sessions.update().where(
    sessions.c.id == sa.bindparam("session_id"),
    sessions.c.refresh_jti == sa.bindparam("expected_jti"),
    _live,
)


class SqlAlchemySessionRepository(SessionRepository):
    def __init__(
        self, connection: AsyncConnection, changed: Callable[[str], None] = ignore_change
    ) -> None:
        self._connection = connection
        # Told each credential notice this connection's transaction will send (see the UoW).
        self._changed = changed

    async def add(self, session: Session) -> None:
        await self._connection.execute(sessions.insert().values(**_row(session)))

    async def get(self, session_id: SessionId) -> Session | None:
        result = await self._connection.execute(
            sessions.select().where(sessions.c.id == session_id)
        )
        row = result.one_or_none()
        return _session(row) if row else None

    async def get_with_user(self, session_id: SessionId) -> tuple[Session, User] | None:
        result = await self._connection.execute(_SESSION_WITH_USER, {"session_id": session_id})
        row = result.one_or_none()
        if row is None:
            return None
        return _session(row), user_of(row, prefix="owner_")

    async def live_session_user(
        self, session_id: SessionId, user_id: UserId, now: datetime
    ) -> tuple[User, datetime] | None:
        # The hot path of every authenticated request: one primary-key lookup and a join.
        result = await self._connection.execute(
            _LIVE_SESSION_USER, {"session_id": session_id, "user_id": user_id, "now": now}
        )
        row = result.one_or_none()
        return (user_of(row), row.session_expires_at) if row else None

    async def list_live(self, user_id: UserId, now: datetime) -> list[Session]:
        result = await self._connection.execute(
            sessions.select()
            .where(sessions.c.user_id == user_id, _live, sessions.c.expires_at > now)
            .order_by(sessions.c.created_at.desc(), sessions.c.id.desc())
        )
        return [_session(row) for row in result]

    async def save_rotation(self, session: Session, expected_jti: str) -> bool:
        # The WHERE clause is the compare-and-set: a concurrent rotation changes refresh_jti
        # first and this UPDATE then matches no row.
        result = await self._connection.execute(
            _SAVE_ROTATION,
            {
                "session_id": session.id,
                "expected_jti": expected_jti,
                "refresh_jti": session.refresh_jti,
                "previous_jti": session.previous_jti,
                "rotated_at": session.rotated_at,
                "last_used_at": session.last_used_at,
                "expires_at": session.expires_at,
            },
        )
        return result.rowcount == 1

    async def revoke(self, session_id: SessionId, now: datetime) -> None:
        self._changed(f"s:{session_id}")
        await self._connection.execute(
            sessions.update().where(sessions.c.id == session_id, _live).values(revoked_at=now)
        )

    async def revoke_all(
        self, user_id: UserId, now: datetime, *, keep: SessionId | None = None
    ) -> int:
        self._changed(f"u:{user_id}")  # more than the sessions revoked: harmless, and short
        condition = sa.and_(sessions.c.user_id == user_id, _live, sessions.c.expires_at > now)
        if keep is not None:
            condition = sa.and_(condition, sessions.c.id != keep)
        result = await self._connection.execute(
            sessions.update().where(condition).values(revoked_at=now)
        )
        return result.rowcount


def _row(session: Session) -> dict[str, object]:
    return {
        "id": session.id,
        "user_id": session.user_id,
        "refresh_jti": session.refresh_jti,
        "previous_jti": session.previous_jti,
        "rotated_at": session.rotated_at,
        "created_at": session.created_at,
        "last_used_at": session.last_used_at,
        "expires_at": session.expires_at,
        "revoked_at": session.revoked_at,
        "user_agent": session.user_agent,
    }


def _session(row: sa.Row[tuple[object, ...]]) -> Session:
    data = row._mapping
    return Session(**{column.name: data[column.name] for column in sessions.c})
