"""Use cases wired to in-memory fakes: no I/O, no threads."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from todo_api.adapters.clock import FixedClock, ManualTicker
from todo_api.adapters.memory import (
    FakePasswordHasher,
    InMemoryPasswordBlocklist,
    InMemoryStore,
    InMemoryUnitOfWork,
)
from todo_api.adapters.rate_limit.memory import InMemoryRateLimiter
from todo_api.adapters.security.jwt_tokens import JwtTokenService
from todo_api.application.auth.account import ChangePassword, UpdateProfile
from todo_api.application.auth.authenticate import Authenticate
from todo_api.application.auth.login import LogIn, LogInCommand
from todo_api.application.auth.logout import LogOut, LogOutEverywhere
from todo_api.application.auth.policy import SessionPolicy
from todo_api.application.auth.refresh import RefreshSession
from todo_api.application.auth.register import RegisterCommand, RegisterUser
from todo_api.application.auth.sessions import ListSessions, RevokeSession
from todo_api.application.auth.tokens import TokenPair
from todo_api.application.rates import Rate
from todo_api.domain.user import User

PASSWORD = "correct horse battery"


@dataclass
class Harness:
    store: InMemoryStore
    hasher: FakePasswordHasher
    clock: FixedClock
    tokens: JwtTokenService
    limiter: InMemoryRateLimiter
    monotonic: ManualTicker
    policy: SessionPolicy

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def register(self) -> RegisterUser:
        return RegisterUser(self.uow(), self.hasher, InMemoryPasswordBlocklist(), self.clock)

    def log_in(self) -> LogIn:
        return LogIn(self.uow(), self.hasher, self.tokens, self.limiter, self.clock, self.policy)

    def refresh(self) -> RefreshSession:
        return RefreshSession(self.uow(), self.tokens, self.clock, self.policy)

    def authenticate(self) -> Authenticate:
        return Authenticate(self.uow(), self.tokens, self.clock)

    def log_out(self) -> LogOut:
        return LogOut(self.uow(), self.tokens, self.clock)

    def log_out_everywhere(self) -> LogOutEverywhere:
        return LogOutEverywhere(self.uow(), self.clock)

    def update_profile(self) -> UpdateProfile:
        return UpdateProfile(self.uow(), self.clock)

    def change_password(self) -> ChangePassword:
        return ChangePassword(
            self.uow(),
            self.hasher,
            InMemoryPasswordBlocklist(),
            self.clock,
            self.limiter,
            self.tokens,
            self.policy,
        )

    def list_sessions(self) -> ListSessions:
        return ListSessions(self.uow(), self.clock)

    def revoke_session(self) -> RevokeSession:
        return RevokeSession(self.uow(), self.clock)

    async def user(self, email: str = "ann@example.com") -> User:
        return await self.register().execute(RegisterCommand(email=email, password=PASSWORD))

    async def login(self, email: str = "ann@example.com", password: str = PASSWORD) -> TokenPair:
        return await self.log_in().execute(LogInCommand(email=email, password=password))


@pytest.fixture
def harness() -> Harness:
    # Tokens are checked against the real time by PyJWT, so the fixed clock starts at now.
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    monotonic = ManualTicker()
    return Harness(
        store=InMemoryStore(),
        hasher=FakePasswordHasher(),
        clock=clock,
        tokens=JwtTokenService(secrets.token_hex(32), clock),
        limiter=InMemoryRateLimiter(monotonic=monotonic),
        monotonic=monotonic,
        policy=SessionPolicy(
            refresh_lifetime=timedelta(days=7),
            rotation_grace=timedelta(seconds=5),
            failed_logins_per_account=Rate(20, 3600),
        ),
    )
