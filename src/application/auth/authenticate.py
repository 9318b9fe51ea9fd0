"""Checking an access token against its server-side session."""

from __future__ import annotations

from todo_api.application.auth.principal import Principal
from todo_api.application.errors import MissingToken, SessionRevoked
from todo_api.application.ports import Clock, TokenService, UnitOfWork

__all__ = ["Authenticate"]


class Authenticate:
    """Turn a bearer token into a Principal, refusing tokens whose session has ended.

    The session lookup is what makes logout and revocation take effect at once rather than
    when the 15-minute token expires; it reads the user in the same lookup, so a request needs
    no second query to know who is calling.
    """

    def __init__(self, uow: UnitOfWork, tokens: TokenService, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    async def execute(self, token: str | None) -> Principal:
        if not token:
            raise MissingToken
        claims = self._tokens.decode_access(token)
        async with self._uow as uow:
            user = await uow.sessions.live_session_user(
                claims.session_id, claims.user_id, self._clock.now()
            )
        if user is None:
            raise SessionRevoked
        return Principal(user=user, session_id=claims.session_id)
