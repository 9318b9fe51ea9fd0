"""Users in SQL, through SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from todo_api.adapters.persistence.credential_changes import ignore_change
from todo_api.adapters.persistence.integrity import translating_violation
from todo_api.adapters.persistence.tables import task_tombstones, users
from todo_api.application.errors import EmailAlreadyExists
from todo_api.application.ports import UserRepository
from todo_api.domain.email import Email
from todo_api.domain.ids import UserId
from todo_api.domain.timezone import TimeZoneName
from todo_api.domain.user import DisplayName, User


class SqlAlchemyUserRepository(UserRepository):
    def __init__(
        self, connection: AsyncConnection, changed: Callable[[str], None] = ignore_change
    ) -> None:
        self._connection = connection
        # Told each credential notice this connection's transaction will send (see the UoW).
        self._changed = changed

    async def add(self, user: User) -> None:
        async with translating_violation("uq_users_email", EmailAlreadyExists):
            await self._connection.execute(users.insert().values(**_row(user)))

    async def get(self, user_id: UserId) -> User | None:
        result = await self._connection.execute(users.select().where(users.c.id == user_id))
        row = result.one_or_none()
        return user_of(row) if row else None

    async def get_by_email(self, email: Email) -> User | None:
        result = await self._connection.execute(users.select().where(users.c.email == email.value))
        row = result.one_or_none()
        return user_of(row) if row else None

    async def update(self, user: User) -> None:
        self._changed(f"u:{user.id}")
        values = _row(user)
        del values["id"], values["created_at"]
        async with translating_violation("uq_users_email", EmailAlreadyExists):
            await self._connection.execute(
                users.update().where(users.c.id == user.id).values(**values)
            )

    async def delete(self, user_id: UserId) -> None:
        # Sessions, tasks, tags, links, tokens and queued mail go by ON DELETE CASCADE; the
        # deletion records the task trigger writes meanwhile are no one's to sync any more.
        self._changed(f"u:{user_id}")
        await self._connection.execute(users.delete().where(users.c.id == user_id))
        await self._connection.execute(
            task_tombstones.delete().where(task_tombstones.c.user_id == user_id)
        )

    async def advance_mfa_step(self, user_id: UserId, step: int) -> bool:
        result = await self._connection.execute(
            users.update()
            .where(
                users.c.id == user_id,
                users.c.mfa_enabled.is_(True),
                sa.or_(users.c.mfa_last_step.is_(None), users.c.mfa_last_step < step),
            )
            .values(mfa_last_step=step)
        )
        return result.rowcount == 1


def _row(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "email": user.email.value,
        "password_hash": user.password_hash,
        "name": user.name,
        "timezone": user.timezone,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "email_verified": user.email_verified,
        "mfa_secret": user.mfa_secret,
        "mfa_enabled": user.mfa_enabled,
        "mfa_last_step": user.mfa_last_step,
    }


def user_of(row: sa.Row[tuple[object, ...]], prefix: str = "") -> User:
    """The user in a row of `users` columns, each named with `prefix` in a join."""
    data = {key.removeprefix(prefix): value for key, value in row._mapping.items()}
    return User(
        id=UserId(data["id"]),
        email=Email(data["email"]),
        password_hash=data["password_hash"],
        name=DisplayName.stored(data["name"]) if data["name"] else None,
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        timezone=TimeZoneName.stored(data["timezone"]),
        email_verified=bool(data["email_verified"]),
        mfa_secret=data["mfa_secret"],
        mfa_enabled=bool(data["mfa_enabled"]),
        mfa_last_step=data["mfa_last_step"],
    )
