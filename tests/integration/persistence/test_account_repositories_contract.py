"""The account stores of issue 13 on memory, SQLite and Postgres: single-use tokens, the mail
outbox, recovery codes, TOTP steps, and deleting a user with everything of theirs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.persistence.conftest import UowFactory
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.auth.one_time import TokenPurpose, digest, mint
from todo_api.application.errors import EmailAlreadyExists
from todo_api.application.mail import MailKind, retry_delay
from todo_api.domain.email import Email
from todo_api.domain.session import Session
from todo_api.domain.task import NewTask, TaskFields
from todo_api.domain.user import User

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)


async def _user(uow_factory: UowFactory, email: str = "ann@example.com") -> User:
    user = User.register(email=Email.parse(email), password_hash="h", name=None, now=T0)
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


async def test_a_token_is_found_until_used_or_expired_and_used_once(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory)
    raw, token = mint(ann.id, TokenPurpose.RESET_PASSWORD, T0)
    async with uow_factory() as uow:
        await uow.one_time_tokens.add(token)
        await uow.commit()
    hashed = digest(raw)
    async with uow_factory() as uow:
        assert await uow.one_time_tokens.find(hashed, TokenPurpose.VERIFY_EMAIL, T0) is None
        assert await uow.one_time_tokens.find(hashed, TokenPurpose.RESET_PASSWORD, T0) == token
        expired = T0 + timedelta(minutes=30)
        assert await uow.one_time_tokens.find(hashed, TokenPurpose.RESET_PASSWORD, expired) is None
        assert await uow.one_time_tokens.consume(hashed, TokenPurpose.RESET_PASSWORD, T0) == token
        assert await uow.one_time_tokens.consume(hashed, TokenPurpose.RESET_PASSWORD, T0) is None
        await uow.commit()


async def test_discarding_forgets_only_unused_tokens_of_that_purpose(
    uow_factory: UowFactory,
) -> None:
    ann = await _user(uow_factory)
    reset_raw, reset = mint(ann.id, TokenPurpose.RESET_PASSWORD, T0)
    change_raw, change = mint(
        ann.id, TokenPurpose.CONFIRM_EMAIL, T0, new_email=Email.parse("a@new.example")
    )
    async with uow_factory() as uow:
        await uow.one_time_tokens.add(reset)
        await uow.one_time_tokens.add(change)
        await uow.one_time_tokens.discard(ann.id, TokenPurpose.RESET_PASSWORD)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.one_time_tokens.find(digest(reset_raw), reset.purpose, T0) is None
        kept = await uow.one_time_tokens.find(digest(change_raw), change.purpose, T0)
    assert kept is not None and kept.new_email == Email.parse("a@new.example")


async def test_the_outbox_hands_out_due_jobs_and_backs_off(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    async with uow_factory() as uow:
        await uow.mail.enqueue(MailKind.VERIFY_EMAIL, ann.email, T0, user_id=ann.id)
        await uow.mail.enqueue(MailKind.RESET_PASSWORD, Email.parse("x@example.com"), T0)
        await uow.commit()
    async with uow_factory() as uow:
        first = await uow.mail.claim(T0, 10)
        await uow.commit()
    assert [(j.kind, j.user_id, j.attempts) for j in first] == [
        (MailKind.VERIFY_EMAIL, ann.id, 1),
        (MailKind.RESET_PASSWORD, None, 1),
    ]
    async with uow_factory() as uow:
        assert await uow.mail.claim(T0 + timedelta(seconds=29), 10) == []
        await uow.mail.finish(first[0].id)
        await uow.mail.fail(first[1].id, "refused", give_up=False)
        await uow.commit()
    async with uow_factory() as uow:
        again = await uow.mail.claim(T0 + retry_delay(1), 10)
        await uow.mail.fail(again[0].id, "refused", give_up=True)
        await uow.commit()
    assert [(j.id, j.attempts) for j in again] == [(first[1].id, 2)]
    async with uow_factory() as uow:
        assert await uow.mail.claim(T0 + timedelta(days=30), 10) == []


async def test_recovery_codes_are_replaced_and_used_once(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    bob = await _user(uow_factory, "bob@example.com")
    async with uow_factory() as uow:
        await uow.recovery_codes.replace(ann.id, ["a", "b"])
        await uow.recovery_codes.replace(bob.id, ["a"])
        await uow.recovery_codes.replace(ann.id, ["c"])
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.recovery_codes.consume(ann.id, "a")
        assert await uow.recovery_codes.consume(ann.id, "c")
        assert not await uow.recovery_codes.consume(ann.id, "c")
        assert await uow.recovery_codes.consume(bob.id, "a")
        await uow.commit()


async def test_a_totp_step_is_accepted_only_once_and_in_order(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    async with uow_factory() as uow:
        assert not await uow.users.advance_mfa_step(ann.id, 5)  # not enabled
        user = await uow.users.get(ann.id)
        assert user is not None
        user.set_up_mfa("JBSWY3DPEHPK3PXP", T0)
        user.enable_mfa(10, T0)
        await uow.users.update(user)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.users.advance_mfa_step(ann.id, 10)
        assert not await uow.users.advance_mfa_step(ann.id, 9)
        assert await uow.users.advance_mfa_step(ann.id, 11)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.users.get(ann.id)
    assert stored is not None
    assert (stored.mfa_secret, stored.mfa_enabled, stored.mfa_last_step) == (
        "JBSWY3DPEHPK3PXP",
        True,
        11,
    )


async def test_an_email_change_to_a_taken_address_is_refused(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    await _user(uow_factory, "bob@example.com")
    ann.change_email(Email.parse("bob@example.com"), T0)
    with pytest.raises(EmailAlreadyExists):
        async with uow_factory() as uow:
            await uow.users.update(ann)


async def test_deleting_a_user_deletes_everything_of_theirs_only(uow_factory: UowFactory) -> None:
    ann = await _user(uow_factory)
    bob = await _user(uow_factory, "bob@example.com")
    for user in (ann, bob):
        async with uow_factory() as uow:
            await uow.sessions.add(
                Session.start(user_id=user.id, lifetime=timedelta(days=1), user_agent=None, now=T0)
            )
            task = await uow.tasks.add(
                NewTask.create(user_id=user.id, fields=TaskFields.parse(title="t"), tags=[], now=T0)
            )
            await uow.mail.enqueue(MailKind.VERIFY_EMAIL, user.email, T0, user_id=user.id)
            await uow.recovery_codes.replace(user.id, ["code"])
            await uow.commit()
    async with uow_factory() as uow:
        await uow.users.delete(ann.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.users.get(ann.id) is None
        assert await uow.sessions.list_live(ann.id, T0) == []
        assert (await uow.tasks.get(ann.id, task.id)) is None
        assert not await uow.recovery_codes.consume(ann.id, "code")
        jobs = await uow.mail.claim(T0, 10)
        assert [job.user_id for job in jobs] == [bob.id]
        assert len(await uow.sessions.list_live(bob.id, T0)) == 1
        assert await uow.recovery_codes.consume(bob.id, "code")


async def test_concurrent_claims_share_no_job(pg_engine: AsyncEngine) -> None:
    """Postgres: two deliverers claiming at once get disjoint jobs (FOR UPDATE SKIP LOCKED)."""
    async with SqlAlchemyUnitOfWork(pg_engine) as uow:
        for n in range(40):
            await uow.mail.enqueue(MailKind.RESET_PASSWORD, Email.parse(f"u{n}@example.com"), T0)
        await uow.commit()

    async def claim() -> list[int]:
        async with SqlAlchemyUnitOfWork(pg_engine) as uow:
            jobs = await uow.mail.claim(T0, 25)
            await asyncio.sleep(0.2)  # hold the rows while the other claims
            await uow.commit()
        return [job.id for job in jobs]

    first, second = await asyncio.gather(claim(), claim())
    assert not set(first) & set(second)
    assert len(first) + len(second) == 40
