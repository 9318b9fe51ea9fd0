"""A credential change committed by this process reaches its own cache at once, before the
database's notice does (the notice reaches the other processes; ADR 0022)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from todo_api.adapters.persistence.credential_notices import NotifiedCredentialCache
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.auth.credential_cache import CachedCredential
from todo_api.domain.email import Email
from todo_api.domain.ids import SessionId
from todo_api.domain.user import User

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)


def _cached(cache: NotifiedCredentialCache, email: str) -> tuple[SessionId, CachedCredential]:
    user = User.register(email=Email.parse(email), password_hash="h", name=None, now=NOW)
    credential = CachedCredential(user, NOW + timedelta(minutes=5))
    session = SessionId(uuid.uuid4())
    cache.keep(session, credential, cache.mark() or 0)
    return session, credential


@pytest.fixture
def cache() -> NotifiedCredentialCache:
    # Hearing, but with no listener: only the unit of work can tell it anything.
    cache = NotifiedCredentialCache()
    cache.hearing = True
    return cache


async def test_a_committed_revocation_is_forgotten_at_once_and_a_rolled_back_one_is_not(
    pg_engine: AsyncEngine, cache: NotifiedCredentialCache
) -> None:
    kept, _ = _cached(cache, "kept@example.com")
    revoked, _ = _cached(cache, "revoked@example.com")
    async with SqlAlchemyUnitOfWork(pg_engine, credentials=cache) as uow:
        await uow.sessions.revoke(kept, NOW)  # rolled back: never committed
    assert cache.get(kept, NOW) is not None
    async with SqlAlchemyUnitOfWork(pg_engine, credentials=cache) as uow:
        await uow.sessions.revoke(revoked, NOW)
        assert cache.get(revoked, NOW) is not None  # not before the commit
        await uow.commit()
    assert cache.get(revoked, NOW) is None
    assert cache.get(kept, NOW) is not None


async def test_a_users_change_or_a_deleted_token_forgets_the_users_credentials(
    pg_engine: AsyncEngine, cache: NotifiedCredentialCache
) -> None:
    session, ann = _cached(cache, "ann@example.com")
    async with SqlAlchemyUnitOfWork(pg_engine, credentials=cache) as uow:
        await uow.api_tokens.delete(ann.user.id, 1)
        await uow.commit()
    assert cache.get(session, NOW) is None
    session, bob = _cached(cache, "bob@example.com")
    async with SqlAlchemyUnitOfWork(pg_engine, credentials=cache) as uow:
        await uow.users.delete(bob.user.id)
        await uow.commit()
    assert cache.get(session, NOW) is None
