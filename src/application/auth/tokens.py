"""The pair of tokens a login or a refresh hands out."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.ports import Clock, IssuedToken, TokenService, UnitOfWork
from todo_api.domain.session import Session
from todo_api.domain.user import User

__all__ = ["SessionOpener", "TokenPair"]


@dataclass(frozen=True, slots=True)
class TokenPair:
    """An access and a refresh token; after a login also a device token for the client to keep
    (it lets this client log in to the account while others' failures exhaust its budget)."""

    access: IssuedToken
    refresh: IssuedToken
    device: IssuedToken | None = None


@dataclass(frozen=True, slots=True)
class SessionOpener:
    """Starts sessions for users who proved who they are (password, and second factor if on)."""

    uow: UnitOfWork
    tokens: TokenService
    clock: Clock
    policy: SessionPolicy

    async def open(self, user: User, user_agent: str | None) -> TokenPair:
        session = Session.start(
            user_id=user.id,
            lifetime=self.policy.refresh_lifetime,
            user_agent=user_agent,
            now=self.clock.now(),
        )
        async with self.uow as uow:
            await uow.sessions.add(session)
            await uow.commit()
        return TokenPair(
            access=self.tokens.issue_access(user, session.id),
            refresh=self.tokens.issue_refresh(session),
            device=self.tokens.issue_device(user),
        )
