"""Exchanging a refresh token for a new pair, rotating it."""

from __future__ import annotations

from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.tokens import TokenPair
from todo_api.application.errors import (
    MissingRefreshToken,
    RefreshTokenExpired,
    RefreshTokenRevoked,
    TokenExpired,
)
from todo_api.application.ports import Clock, TokenService, UnitOfWork
from todo_api.domain.session import RefreshVerdict

__all__ = ["RefreshSession"]


class RefreshSession:
    """Rotate the session's refresh token and issue a new access token.

    Rotation is a compare-and-set on the session's current refresh id, so of two concurrent
    refreshes with one token at most one wins. A token older than the one just rotated away
    means the family leaked: the whole session is revoked.
    """

    def __init__(
        self, uow: UnitOfWork, tokens: TokenService, clock: Clock, policy: SessionPolicy
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock
        self._policy = policy

    async def execute(self, refresh_token: str | None) -> TokenPair:
        if not refresh_token:
            raise MissingRefreshToken
        try:
            claims = self._tokens.decode_refresh(refresh_token)
        except TokenExpired:
            raise RefreshTokenExpired from None
        now = self._clock.now()
        async with self._uow as uow:
            found = await uow.sessions.get_with_user(claims.session_id)
            if found is None or found[0].user_id != claims.user_id:
                raise RefreshTokenRevoked
            session, user = found
            verdict = session.judge_refresh(claims.jti, now, self._policy.rotation_grace)
            if verdict is RefreshVerdict.REUSED:
                await uow.sessions.revoke(session.id, now)
                await uow.commit()
                raise RefreshTokenRevoked("The refresh token was already used; session ended.")
            if verdict is not RefreshVerdict.CURRENT:
                raise RefreshTokenRevoked
            expected = session.refresh_jti
            session.rotate(self._policy.refresh_lifetime, now)
            if not await uow.sessions.save_rotation(session, expected):
                raise RefreshTokenRevoked("The refresh token was already used.")
            await uow.commit()
        return TokenPair(
            access=self._tokens.issue_access(user, session.id),
            refresh=self._tokens.issue_refresh(session),
        )
