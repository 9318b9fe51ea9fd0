"""What only a real database can show: concurrency, cascades, constraints."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from todo_api.adapters.persistence.tables import sessions, users
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.errors import EmailAlreadyExists
from todo_api.domain.email import Email
from todo_api.domain.session import Session
from todo_api.domain.user import User

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    return request.getfixturevalue(f"{'pg' if request.param == 'postgres' else 'sqlite'}_engine")


async def _add(engine: AsyncEngine, email: str) -> str:
    user = User.register(email=Email.parse(email), password_hash="h", name=None, now=NOW)
    try:
        async with SqlAlchemyUnitOfWork(engine) as uow:
            await uow.users.add(user)
            await uow.commit()
    except EmailAlreadyExists:
        return "taken"
    return "created"


async def test_concurrent_case_variant_registrations_give_one_row(engine: AsyncEngine) -> None:
    variants = ["ann@example.com", "ANN@example.com", "Ann@Example.com", "aNN@EXAMPLE.COM"] * 3
    outcomes = await asyncio.gather(*(_add(engine, v) for v in variants))
    assert sorted(outcomes) == ["created"] + ["taken"] * 11
    async with engine.connect() as connection:
        assert await connection.scalar(sa.select(sa.func.count()).select_from(users)) == 1


async def test_deleting_a_user_deletes_their_sessions(engine: AsyncEngine) -> None:
    user = User.register(email=Email.parse("a@example.com"), password_hash="h", name=None, now=NOW)
    session = Session.start(user_id=user.id, lifetime=timedelta(days=7), user_agent=None, now=NOW)
    async with SqlAlchemyUnitOfWork(engine) as uow:
        await uow.users.add(user)
        await uow.sessions.add(session)
        await uow.commit()
    async with engine.begin() as connection:
        await connection.execute(users.delete().where(users.c.id == user.id))
    async with engine.connect() as connection:
        assert await connection.scalar(sa.select(sa.func.count()).select_from(sessions)) == 0


async def test_concurrent_rotations_of_one_token_have_one_winner(engine: AsyncEngine) -> None:
    user = User.register(email=Email.parse("a@example.com"), password_hash="h", name=None, now=NOW)
    session = Session.start(user_id=user.id, lifetime=timedelta(days=7), user_agent=None, now=NOW)
    async with SqlAlchemyUnitOfWork(engine) as uow:
        await uow.users.add(user)
        await uow.sessions.add(session)
        await uow.commit()

    presented = session.refresh_jti

    async def rotate() -> bool:
        # Every request presents the same token, as two tabs refreshing at once would.
        async with SqlAlchemyUnitOfWork(engine) as uow:
            loaded = await uow.sessions.get(session.id)
            assert loaded is not None
            loaded.rotate(timedelta(days=7), NOW)
            won = await uow.sessions.save_rotation(loaded, presented)
            await uow.commit()
            return won

    results = await asyncio.gather(*(rotate() for _ in range(8)))
    assert results.count(True) == 1
