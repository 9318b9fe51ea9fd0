"""The time zone a user's tasks are counted in."""

from __future__ import annotations

from datetime import date, datetime

from todo_api.application.ports import UnitOfWork
from todo_api.domain.ids import UserId
from todo_api.domain.timezone import UTC_ZONE, TimeZoneName

__all__ = ["is_day", "zone_of"]


async def zone_of(uow: UnitOfWork, user_id: UserId) -> TimeZoneName:
    user = await uow.users.get(user_id)
    return user.timezone if user is not None else UTC_ZONE


def is_day(due: object) -> bool:
    """Whether a due date was given as a day, which only the owner's zone can place."""
    return isinstance(due, date) and not isinstance(due, datetime)
