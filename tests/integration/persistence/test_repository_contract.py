"""The behaviour every UserRepository, SessionRepository and UnitOfWork must share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.persistence.conftest import UowFactory
from todo_api.application.errors import EmailAlreadyExists
from todo_api.domain.email import Email
from todo_api.domain.session import Session
from todo_api.domain.user import User

NOW = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
WEEK = timedelta(days=7)


def _user(email: str = "ann@example.com", name: str | None = "Ann") -> User:
    return User.register(email=Email.parse(email), password_hash="$2b$hash", name=name, now=NOW)


async def _stored(uow_factory: UowFactory, user: User) -> None:
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()


async def test_a_committed_user_reads_back_equal(uow_factory: UowFactory) -> None:
    user = _user()
    await _stored(uow_factory, user)
    async with uow_factory() as uow:
        by_id = await uow.users.get(user.id)
        by_email = await uow.users.get_by_email(Email.parse("ANN@example.com"))
    assert by_id == user == by_email
    assert by_id is not None
    assert by_id.created_at.tzinfo is not None
    assert by_id.created_at.utcoffset() == timedelta(0)


async def test_leaving_without_commit_rolls_back(uow_factory: UowFactory) -> None:
    user = _user()
    async with uow_factory() as uow:
        await uow.users.add(user)
    async with uow_factory() as uow:
        assert await uow.users.get(user.id) is None


async def test_an_error_inside_the_unit_rolls_back(uow_factory: UowFactory) -> None:
    user = _user()
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.users.add(user)
            raise RuntimeError("boom")
    async with uow_factory() as uow:
        assert await uow.users.get(user.id) is None


async def test_a_taken_email_raises_email_already_exists(uow_factory: UowFactory) -> None:
    await _stored(uow_factory, _user())
    with pytest.raises(EmailAlreadyExists):
        await _stored(uow_factory, _user(name="Other"))


async def test_updates_write_name_and_hash(uow_factory: UowFactory) -> None:
    user = _user()
    await _stored(uow_factory, user)
    user.rename("Bo", NOW + WEEK)
    user.change_password("$2b$other", NOW + WEEK)
    async with uow_factory() as uow:
        await uow.users.update(user)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.users.get(user.id) == user


async def test_unknown_ids_and_emails_read_as_none(uow_factory: UowFactory) -> None:
    user = _user()
    async with uow_factory() as uow:
        assert await uow.users.get(user.id) is None
        assert await uow.users.get_by_email(user.email) is None


async def _session_of(uow_factory: UowFactory, user: User, at: datetime = NOW) -> Session:
    session = Session.start(user_id=user.id, lifetime=WEEK, user_agent="pytest", now=at)
    async with uow_factory() as uow:
        await uow.sessions.add(session)
        await uow.commit()
    return session


async def test_a_session_reads_back_equal(uow_factory: UowFactory) -> None:
    user = _user()
    await _stored(uow_factory, user)
    session = await _session_of(uow_factory, user)
    async with uow_factory() as uow:
        assert await uow.sessions.get(session.id) == session


async def test_rotation_is_a_compare_and_set(uow_factory: UowFactory) -> None:
    user = _user()
    await _stored(uow_factory, user)
    stored = await _session_of(uow_factory, user)
    expected = stored.refresh_jti

    first, second = (
        Session(**{f: getattr(stored, f) for f in stored.__slots__}),
        Session(**{f: getattr(stored, f) for f in stored.__slots__}),
    )
    first.rotate(WEEK, NOW + timedelta(minutes=1))
    second.rotate(WEEK, NOW + timedelta(minutes=1))
    async with uow_factory() as uow:
        assert await uow.sessions.save_rotation(first, expected)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.sessions.save_rotation(second, expected)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sessions.get(stored.id) == first


async def test_a_revoked_session_cannot_be_rotated(uow_factory: UowFactory) -> None:
    user = _user()
    await _stored(uow_factory, user)
    session = await _session_of(uow_factory, user)
    expected = session.refresh_jti
    async with uow_factory() as uow:
        await uow.sessions.revoke(session.id, NOW)
        await uow.commit()
    session.rotate(WEEK, NOW)
    async with uow_factory() as uow:
        assert not await uow.sessions.save_rotation(session, expected)


async def test_listing_and_revoking_all_spare_the_kept_session(uow_factory: UowFactory) -> None:
    ann, bob = _user(), _user("bob@example.com")
    await _stored(uow_factory, ann)
    await _stored(uow_factory, bob)
    older = await _session_of(uow_factory, ann, NOW)
    newer = await _session_of(uow_factory, ann, NOW + timedelta(minutes=1))
    bobs = await _session_of(uow_factory, bob)
    later = NOW + timedelta(hours=1)
    async with uow_factory() as uow:
        assert [s.id for s in await uow.sessions.list_live(ann.id, later)] == [newer.id, older.id]
        assert await uow.sessions.revoke_all(ann.id, later, keep=newer.id) == 1
        await uow.commit()
    async with uow_factory() as uow:
        assert [s.id for s in await uow.sessions.list_live(ann.id, later)] == [newer.id]
        assert [s.id for s in await uow.sessions.list_live(bob.id, later)] == [bobs.id]
        revoked = await uow.sessions.get(older.id)
    assert revoked is not None
    assert revoked.revoked_at == later


async def test_expired_sessions_are_not_listed(uow_factory: UowFactory) -> None:
    user = _user()
    await _stored(uow_factory, user)
    await _session_of(uow_factory, user)
    async with uow_factory() as uow:
        assert await uow.sessions.list_live(user.id, NOW + WEEK) == []


async def test_the_live_session_user_is_read_in_one_lookup(uow_factory: UowFactory) -> None:
    ann, bob = _user(), _user("bob@example.com")
    await _stored(uow_factory, ann)
    await _stored(uow_factory, bob)
    session = await _session_of(uow_factory, ann)
    async with uow_factory() as uow:
        assert await uow.sessions.live_session_user(session.id, ann.id, NOW) == (
            ann,
            session.expires_at,
        )
        assert await uow.sessions.live_session_user(session.id, bob.id, NOW) is None
        assert await uow.sessions.live_session_user(session.id, ann.id, NOW + WEEK) is None
        await uow.sessions.revoke(session.id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sessions.live_session_user(session.id, ann.id, NOW) is None


async def test_a_session_reads_with_its_user_in_one_lookup(uow_factory: UowFactory) -> None:
    user = _user()
    await _stored(uow_factory, user)
    session = await _session_of(uow_factory, user)
    async with uow_factory() as uow:
        assert await uow.sessions.get_with_user(session.id) == (session, user)
        await uow.sessions.revoke(session.id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.sessions.get_with_user(session.id)
    assert found is not None and found[0].revoked_at == NOW
    async with uow_factory() as uow:
        assert (
            await uow.sessions.get_with_user(
                Session.start(user_id=user.id, lifetime=WEEK, user_agent=None, now=NOW).id
            )
            is None
        )
