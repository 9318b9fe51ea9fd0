"""Account lifecycle by email on the in-memory adapters (issue 13): verification, reset,
email change, and what the mail outbox does when the mail server is down."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from todo_api import TodoService
from todo_api.adapters.clock import FixedClock
from todo_api.adapters.mail.memory import InMemoryMailer
from todo_api.application.errors import (
    EmailAlreadyExists,
    InvalidCredentials,
    InvalidResetToken,
    InvalidVerificationToken,
    RateLimitExceeded,
    SessionRevoked,
)
from todo_api.application.mail_delivery import Delivery
from todo_api.domain.errors import PasswordTooCommon

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple gun orbit 42"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 9, tzinfo=UTC))


@pytest.fixture
def todo(clock: FixedClock) -> TodoService:
    return TodoService.in_memory(clock)


def _mailer(todo: TodoService) -> InMemoryMailer:
    mailer = todo.container.mailer()
    assert isinstance(mailer, InMemoryMailer)
    return mailer


def _token(todo: TodoService, to: str, page: str) -> str:
    """The token of the newest link to `page` mailed to `to`, in text and HTML alike."""
    message = next(m for m in reversed(_mailer(todo).sent) if m.to == to and page in m.text)
    (token,) = re.findall(rf"/{page}\?token=([\w-]+)", message.text)
    assert f"/{page}?token={token}" in message.html
    return token


async def test_registration_mails_a_link_that_verifies_the_address_once(todo: TodoService) -> None:
    ann = await todo.register("ann@example.com", PASSWORD)
    assert not ann.email_verified
    assert (await todo.deliver_mail())[Delivery.SENT] == 1
    token = _token(todo, "ann@example.com", "verify-email")
    assert (await todo.verify_email(token)).email_verified
    with pytest.raises(InvalidVerificationToken):
        await todo.verify_email(token)
    with pytest.raises(InvalidVerificationToken):
        await todo.verify_email("not-a-token")


async def test_a_verification_link_expires_after_a_day(
    todo: TodoService, clock: FixedClock
) -> None:
    await todo.register("ann@example.com", PASSWORD)
    await todo.deliver_mail()
    token = _token(todo, "ann@example.com", "verify-email")
    clock.advance(timedelta(hours=24, seconds=1))
    with pytest.raises(InvalidVerificationToken):
        await todo.verify_email(token)


async def test_login_of_an_unverified_account_can_be_required_to_wait(
    clock: FixedClock,
) -> None:
    todo = TodoService.in_memory(clock)
    policy = todo.container.session_policy()
    todo.container.session_policy.override(
        type(policy)(refresh_lifetime=policy.refresh_lifetime, require_verified_email=True)
    )
    await todo.register("ann@example.com", PASSWORD)
    with pytest.raises(Exception, match="Verify your email") as refused:
        await todo.log_in("ann@example.com", PASSWORD)
    assert getattr(refused.value, "code", None) == "EMAIL_NOT_VERIFIED"
    # A wrong password learns nothing about verification.
    with pytest.raises(InvalidCredentials):
        await todo.log_in("ann@example.com", "wrong password here")
    await todo.deliver_mail()
    # The refused login sent the link again; the newest works.
    await todo.verify_email(_token(todo, "ann@example.com", "verify-email"))
    assert (await todo.log_in("ann@example.com", PASSWORD)).access.token


async def test_resending_is_rate_limited(todo: TodoService) -> None:
    await todo.register("ann@example.com", PASSWORD)
    ann = await todo.authenticate((await todo.log_in("ann@example.com", PASSWORD)).access.token)
    for _ in range(3):
        await todo.resend_verification(ann)
    with pytest.raises(RateLimitExceeded):
        await todo.resend_verification(ann)
    assert (await todo.deliver_mail())[Delivery.SENT] == 4


async def test_a_reset_ends_every_session_and_only_the_newest_link_works(
    todo: TodoService, clock: FixedClock
) -> None:
    await todo.register("ann@example.com", PASSWORD)
    tokens = await todo.log_in("ann@example.com", PASSWORD)
    await todo.forgot_password("Ann@Example.com")
    await todo.deliver_mail()
    older = _token(todo, "ann@example.com", "reset-password")
    clock.advance(timedelta(minutes=1))
    await todo.forgot_password("ann@example.com")
    await todo.deliver_mail()
    newer = _token(todo, "ann@example.com", "reset-password")
    with pytest.raises(InvalidResetToken):
        await todo.reset_password(older, NEW_PASSWORD)
    with pytest.raises(PasswordTooCommon):
        await todo.reset_password(newer, "password123")
    await todo.reset_password(newer, NEW_PASSWORD)  # a refused password left it usable
    with pytest.raises(InvalidResetToken):
        await todo.reset_password(newer, NEW_PASSWORD)
    with pytest.raises(SessionRevoked):
        await todo.authenticate(tokens.access.token)
    with pytest.raises(InvalidCredentials):
        await todo.log_in("ann@example.com", PASSWORD)
    me = await todo.authenticate((await todo.log_in("ann@example.com", NEW_PASSWORD)).access.token)
    assert me.user.email_verified  # the link reached the address


async def test_a_reset_link_lasts_thirty_minutes(todo: TodoService, clock: FixedClock) -> None:
    await todo.register("ann@example.com", PASSWORD)
    await todo.forgot_password("ann@example.com")
    await todo.deliver_mail()
    token = _token(todo, "ann@example.com", "reset-password")
    clock.advance(timedelta(minutes=30))
    with pytest.raises(InvalidResetToken):
        await todo.reset_password(token, NEW_PASSWORD)


async def test_forgot_password_does_the_same_for_an_unknown_address(
    todo: TodoService, clock: FixedClock
) -> None:
    """Counted, not timed: the request queues one job either way; only delivery knows."""
    await todo.register("ann@example.com", PASSWORD)
    await todo.deliver_mail()
    later = clock.now() + timedelta(days=1)
    delivered = {}
    for address in ("ann@example.com", "nobody@example.com"):
        assert await todo.forgot_password(address) is None
        async with todo.container.unit_of_work() as uow:
            jobs = await uow.mail.claim(later, 100)  # a look only: never committed
        assert [(job.kind, job.address.value) for job in jobs] == [("reset_password", address)]
        delivered[address] = await todo.deliver_mail()
    assert delivered == {
        "ann@example.com": {Delivery.SENT: 1},
        "nobody@example.com": {Delivery.DROPPED: 1},
    }
    assert _mailer(todo).sent[-1].to == "ann@example.com"


async def test_forgot_password_is_limited_per_address(todo: TodoService) -> None:
    for _ in range(3):
        await todo.forgot_password("nobody@example.com")
    with pytest.raises(RateLimitExceeded):
        await todo.forgot_password("NOBODY@example.com")


async def test_an_email_change_applies_only_when_the_new_address_confirms(
    todo: TodoService,
) -> None:
    await todo.register("ann@example.com", PASSWORD)
    await todo.register("bob@example.com", PASSWORD)
    ann = await todo.authenticate((await todo.log_in("ann@example.com", PASSWORD)).access.token)
    with pytest.raises(EmailAlreadyExists):
        await todo.request_email_change(ann, "bob@example.com", PASSWORD)
    await todo.request_email_change(ann, "ann@new.example", PASSWORD)
    await todo.deliver_mail()
    notice = [m for m in _mailer(todo).sent if m.to == "ann@example.com"][-1]
    assert "ann@new.example" in notice.text
    assert "token=" not in notice.text
    still = await todo.authenticate((await todo.log_in("ann@example.com", PASSWORD)).access.token)
    assert still.user.email.value == "ann@example.com"
    moved = await todo.confirm_email_change(_token(todo, "ann@new.example", "confirm-email"))
    assert (moved.email.value, moved.email_verified) == ("ann@new.example", True)
    assert (await todo.log_in("ann@new.example", PASSWORD)).access.token


async def test_mail_is_kept_and_retried_while_the_server_is_down(
    todo: TodoService, clock: FixedClock
) -> None:
    mailer = _mailer(todo)
    mailer.down = True
    await todo.register("ann@example.com", PASSWORD)
    assert (await todo.deliver_mail())[Delivery.FAILED] == 1
    mailer.down = False
    assert await todo.deliver_mail() == {}  # backing off
    clock.advance(timedelta(seconds=31))
    assert (await todo.deliver_mail())[Delivery.SENT] == 1
    await todo.verify_email(_token(todo, "ann@example.com", "verify-email"))
