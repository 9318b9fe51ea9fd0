"""Listing and ending one's own sessions."""

from __future__ import annotations

from todo_api.application.auth.principal import Principal
from todo_api.application.errors import SessionNotFound
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.domain.ids import SessionId
from todo_api.domain.session import Session

__all__ = ["ListSessions", "RevokeSession"]


class ListSessions:
    """The caller's live sessions, newest first."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal) -> list[Session]:
        principal.require(None)  # a signed-in session only, never an API token
        async with self._uow as uow:
            return await uow.sessions.list_live(principal.user_id, self._clock.now())


class RevokeSession:
    """End one of the caller's live sessions; another user's session is not found."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, session_id: SessionId) -> None:
        principal.require(None)  # a signed-in session only, never an API token
        now = self._clock.now()
        async with self._uow as uow:
            session = await uow.sessions.get(session_id)
            if session is None or session.user_id != principal.user_id or not session.is_live(now):
                raise SessionNotFound
            await uow.sessions.revoke(session_id, now)
            await uow.commit()
