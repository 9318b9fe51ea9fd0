"""A state machine over login, refresh (current and stale) and logout: at most one refresh token
of a session is live, and after a reuse none is."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from todo_api.adapters.clock import FixedClock
from todo_api.adapters.memory import (
    FakePasswordHasher,
    InMemoryPasswordBlocklist,
    InMemoryStore,
    InMemoryUnitOfWork,
)
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.adapters.security.jwt_tokens import JwtTokenService
from todo_api.application.auth.login import LogIn, LogInCommand
from todo_api.application.auth.logout import LogOut
from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.refresh import RefreshSession
from todo_api.application.auth.register import RegisterCommand, RegisterUser
from todo_api.application.errors import ApplicationError

PASSWORD = "correct horse battery"


class RefreshFamilies(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = InMemoryStore()
        self.clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
        self.tokens = JwtTokenService(secrets.token_hex(32), self.clock)
        self.policy = SessionPolicy(refresh_lifetime=timedelta(days=7))
        self.issued: list[str] = []  # every refresh token handed out, oldest first
        self.reused = False
        self.logged_out = False
        asyncio.run(
            RegisterUser(
                self._uow(), FakePasswordHasher(), InMemoryPasswordBlocklist(), self.clock
            ).execute(RegisterCommand(email="a@example.com", password=PASSWORD))
        )

    def _uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def _refresh(self, token: str) -> str | None:
        try:
            pair = asyncio.run(
                RefreshSession(self._uow(), self.tokens, self.clock, self.policy).execute(token)
            )
        except ApplicationError:
            return None
        return pair.refresh.token

    @precondition(lambda self: not self.issued)
    @rule()
    def log_in(self) -> None:
        pair = asyncio.run(
            LogIn(
                self._uow(),
                FakePasswordHasher(),
                self.tokens,
                InMemoryRateLimiter(),
                self.clock,
                self.policy,
            ).execute(LogInCommand(email="a@example.com", password=PASSWORD))
        )
        self.issued.append(pair.refresh.token)

    @precondition(lambda self: bool(self.issued))
    @rule()
    def refresh_with_the_current_token(self) -> None:
        new = self._refresh(self.issued[-1])
        if self.reused or self.logged_out:
            assert new is None
        else:
            assert new is not None
            self.issued.append(new)

    @precondition(lambda self: len(self.issued) >= 2)
    @rule()
    def refresh_with_a_stale_token(self) -> None:
        self.clock.advance(timedelta(seconds=30))  # past the grace window: a replay
        assert self._refresh(self.issued[0]) is None
        self.reused = True

    @precondition(lambda self: bool(self.issued))
    @rule()
    def log_out(self) -> None:
        asyncio.run(LogOut(self._uow(), self.tokens, self.clock).execute(self.issued[-1]))
        self.logged_out = True

    @invariant()
    def at_most_one_refresh_token_is_live(self) -> None:
        [session] = self.store.tables.sessions.values() or [None]
        if session is None:
            return
        now = self.clock.now()
        live = [
            token
            for token in self.issued
            if session.is_live(now) and self.tokens.decode_refresh(token).jti == session.refresh_jti
        ]
        assert len(live) <= 1
        if self.reused or self.logged_out:
            assert not session.is_live(now)


RefreshFamilies.TestCase.settings = settings(max_examples=40, stateful_step_count=12, deadline=None)
test_refresh_families = RefreshFamilies.TestCase
