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
from todo_api.domain.session import RefreshVerdict, Session
from todo_api.domain.user import User

__all__ = ["RefreshSession"]


class RefreshSession:
    """Rotate the session's refresh token and issue a new access token.

    Rotation is a compare-and-set on the session's current refresh id, so of concurrent
    refreshes with one token exactly one rotates. The others, and any refresh with the token
    just rotated away within the grace (two tabs, a retried request), get a new access token for
    the same session and the session's current refresh token, without rotating again, as
    Auth0's reuse interval and Okta's grace period do: a live session is never reported as ended.
    Past the grace, or with any older token, reuse means the family leaked: the session is
    revoked.
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
            if verdict is RefreshVerdict.JUST_ROTATED:
                return self._pair(user, session)
            if verdict is not RefreshVerdict.CURRENT:
                raise RefreshTokenRevoked
            expected = session.refresh_jti
            session.rotate(self._policy.refresh_lifetime, now)
            if await uow.sessions.save_rotation(session, expected):
                await uow.commit()
                return self._pair(user, session)
            # Another refresh with this token rotated first (and has committed: the
            # compare-and-set waited for it); answer with the session as it now is.
            current = await uow.sessions.get(session.id)
        grace = self._policy.rotation_grace
        if current is None or current.judge_refresh(claims.jti, now, grace) is not (
            RefreshVerdict.JUST_ROTATED
        ):
            raise RefreshTokenRevoked("The refresh token was already used.")
        return self._pair(user, current)

    def _pair(self, user: User, session: Session) -> TokenPair:
        """A new access token, and a refresh token carrying the session's current refresh id."""
        return TokenPair(
            access=self._tokens.issue_access(user, session.id),
            refresh=self._tokens.issue_refresh(session),
        )
