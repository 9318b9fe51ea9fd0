"""Two-factor authentication, export and deletion on the in-memory adapters (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from todo_api import TodoService
from todo_api.adapters.clock import FixedClock
from todo_api.application.auth.principal import Principal
from todo_api.application.errors import (
    InvalidCredentials,
    InvalidMfaCode,
    MfaAlreadyEnabled,
    MfaNotEnabled,
    MfaRequired,
    RateLimitExceeded,
    SessionRevoked,
    WrongCurrentPassword,
)
from todo_api.application.tasks.input import TaskInput
from todo_api.domain.tag import TagName
from todo_api.domain.task import Title

PASSWORD = "correct horse battery"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 9, 0, 5, tzinfo=UTC))


@pytest.fixture
def todo(clock: FixedClock) -> TodoService:
    return TodoService.in_memory(clock)


async def _signed_in(todo: TodoService, email: str = "ann@example.com") -> Principal:
    await todo.register(email, PASSWORD)
    return await todo.authenticate((await todo.log_in(email, PASSWORD)).access.token)


async def _with_mfa(todo: TodoService, clock: FixedClock) -> tuple[pyotp.TOTP, list[str]]:
    ann = await _signed_in(todo)
    setup = await todo.set_up_mfa(ann)
    assert setup.uri.startswith("otpauth://totp/todo-api:ann%40example.com?secret=")
    totp = pyotp.TOTP(setup.secret)
    codes = await todo.enable_mfa(ann, totp.at(clock.now()))
    clock.advance(timedelta(seconds=30))
    return totp, codes


async def _mfa_token(todo: TodoService) -> str:
    with pytest.raises(MfaRequired) as required:
        await todo.log_in("ann@example.com", PASSWORD)
    return required.value.mfa_token


async def test_enabling_needs_a_code_from_the_secret(todo: TodoService) -> None:
    ann = await _signed_in(todo)
    with pytest.raises(InvalidMfaCode, match="Set up"):
        await todo.enable_mfa(ann, "123456")
    await todo.set_up_mfa(ann)
    with pytest.raises(InvalidMfaCode):
        await todo.enable_mfa(ann, "000000")


async def test_a_login_with_mfa_needs_a_code_and_each_code_works_once(
    todo: TodoService, clock: FixedClock
) -> None:
    totp, _ = await _with_mfa(todo, clock)
    token = await _mfa_token(todo)
    code = totp.at(clock.now())
    tokens = await todo.complete_mfa_login(token, code)
    assert (await todo.authenticate(tokens.access.token)).user.mfa_enabled
    with pytest.raises(InvalidMfaCode):  # the same code again, still in its window
        await todo.complete_mfa_login(await _mfa_token(todo), code)
    clock.advance(timedelta(seconds=30))
    assert await todo.complete_mfa_login(await _mfa_token(todo), totp.at(clock.now()))


async def test_a_code_from_an_earlier_step_than_the_last_used_is_refused(
    todo: TodoService, clock: FixedClock
) -> None:
    totp, _ = await _with_mfa(todo, clock)
    earlier = totp.at(clock.now() - timedelta(seconds=30))
    await todo.complete_mfa_login(await _mfa_token(todo), totp.at(clock.now()))
    with pytest.raises(InvalidMfaCode):
        await todo.complete_mfa_login(await _mfa_token(todo), earlier)


async def test_recovery_codes_work_once_each(todo: TodoService, clock: FixedClock) -> None:
    _, codes = await _with_mfa(todo, clock)
    assert len(codes) == len(set(codes)) == 10
    await todo.complete_mfa_login(await _mfa_token(todo), codes[0].upper().replace("-", " "))
    with pytest.raises(InvalidMfaCode):
        await todo.complete_mfa_login(await _mfa_token(todo), codes[0])


async def test_wrong_codes_draw_on_the_login_failure_budget(
    todo: TodoService, clock: FixedClock
) -> None:
    await _with_mfa(todo, clock)
    token = await _mfa_token(todo)
    with pytest.raises(RateLimitExceeded):  # 20 an hour by default
        for _ in range(21):
            with pytest.raises(InvalidMfaCode):
                await todo.complete_mfa_login(token, "000000")
    with pytest.raises(RateLimitExceeded):
        await todo.log_in("ann@example.com", "a wrong password")


async def test_the_mfa_token_expires_after_five_minutes(
    todo: TodoService, clock: FixedClock
) -> None:
    totp, _ = await _with_mfa(todo, clock)
    token = await _mfa_token(todo)
    clock.advance(timedelta(minutes=5))
    with pytest.raises(Exception, match="expired") as expired:
        await todo.complete_mfa_login(token, totp.at(clock.now()))
    assert getattr(expired.value, "code", None) == "TOKEN_EXPIRED"


async def test_disabling_needs_the_password_and_a_code(
    todo: TodoService, clock: FixedClock
) -> None:
    totp, _ = await _with_mfa(todo, clock)
    tokens = await todo.complete_mfa_login(await _mfa_token(todo), totp.at(clock.now()))
    ann = await todo.authenticate(tokens.access.token)
    with pytest.raises(MfaAlreadyEnabled):
        await todo.set_up_mfa(ann)
    clock.advance(timedelta(seconds=30))
    with pytest.raises(WrongCurrentPassword):
        await todo.disable_mfa(ann, "not the password", totp.at(clock.now()))
    with pytest.raises(InvalidMfaCode):
        await todo.disable_mfa(ann, PASSWORD, "000000")
    await todo.disable_mfa(ann, PASSWORD, totp.at(clock.now()))
    assert (await todo.log_in("ann@example.com", PASSWORD)).access.token
    with pytest.raises(MfaNotEnabled):
        await todo.disable_mfa(ann, PASSWORD, totp.at(clock.now()))


async def test_the_export_holds_everything_of_the_user_and_nothing_secret(
    todo: TodoService,
) -> None:
    ann = await _signed_in(todo)
    bob = await _signed_in(todo, "bob@example.com")
    home = await todo.create_tag(ann.user_id, TagName("home"))
    for n in range(150):  # more than a page
        await todo.create_task(ann.user_id, TaskInput(title=Title(f"task {n}")))
    await todo.create_task(bob.user_id, TaskInput(title=Title("bob's")))
    export = await todo.export_account(ann)
    assert export.user.email.value == "ann@example.com"
    assert [t.title for t in export.tasks] == [f"task {n}" for n in range(150)]
    assert [t.id for t in export.tags] == [home.id]
    assert [s.id for s in export.sessions] == [ann.session_id]


async def test_deleting_the_account_removes_it_and_kills_its_tokens(todo: TodoService) -> None:
    await todo.register("ann@example.com", PASSWORD)
    tokens = await todo.log_in("ann@example.com", PASSWORD)
    ann = await todo.authenticate(tokens.access.token)
    await todo.create_task(ann.user_id, TaskInput(title=Title("mine")))
    with pytest.raises(WrongCurrentPassword):
        await todo.delete_account(ann, "not the password")
    await todo.delete_account(ann, PASSWORD)
    with pytest.raises(SessionRevoked):
        await todo.authenticate(tokens.access.token)
    with pytest.raises(InvalidCredentials):
        await todo.log_in("ann@example.com", PASSWORD)
    again = await todo.register("ann@example.com", PASSWORD)  # the address is free again
    assert (await todo.list_tasks(again.id)).total == 0
