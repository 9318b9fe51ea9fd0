"""Ending sessions."""

from __future__ import annotations

from todo_api.application.auth.principal import Principal
from todo_api.application.errors import ApplicationError
from todo_api.application.ports import Clock, TokenService, UnitOfWork

__all__ = ["LogOut", "LogOutEverywhere"]


class LogOut:
    """End the session a refresh token belongs to; idempotent and silent on any bad token."""

    def __init__(self, uow: UnitOfWork, tokens: TokenService, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    async def execute(self, refresh_token: str | None) -> None:
        if not refresh_token:
            return
        try:
            claims = self._tokens.decode_refresh(refresh_token)
        except ApplicationError:
            return
        async with self._uow as uow:
            session = await uow.sessions.get(claims.session_id)
            if session is None or session.user_id != claims.user_id:
                return
            await uow.sessions.revoke(session.id, self._clock.now())
            await uow.commit()


class LogOutEverywhere:
    """End every session of the caller, the current one included."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal) -> int:
        principal.require(None)  # a signed-in session only, never an API token
        async with self._uow as uow:
            ended = await uow.sessions.revoke_all(principal.user_id, self._clock.now())
            await uow.commit()
        return ended
