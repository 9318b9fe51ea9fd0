"""Personal API tokens on the in-memory service (SPEC 16): shown once, stored as a digest,
acting within their scopes, refused once deleted or expired, limited per token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from todo_api import TodoService
from todo_api.adapters.clock import FixedClock
from todo_api.application.auth.principal import Principal
from todo_api.application.errors import (
    ApiTokenNotFound,
    InsufficientScope,
    InvalidToken,
    RateLimitExceeded,
    TokenExpired,
    TooManyApiTokens,
)
from todo_api.application.rates import Rate
from todo_api.domain.api_token import Scope, TokenName, scopes_of
from todo_api.domain.errors import InvalidScope, InvalidTokenExpiry, InvalidTokenName

PASSWORD = "correct horse battery"
READ = frozenset({Scope.TASKS_READ})


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 9, tzinfo=UTC))


@pytest.fixture
def todo(clock: FixedClock) -> TodoService:
    return TodoService.in_memory(clock)


async def _session(todo: TodoService, email: str = "ann@example.com") -> Principal:
    await todo.register(email, PASSWORD)
    return await todo.authenticate((await todo.log_in(email, PASSWORD)).access.token)


async def test_a_token_is_shown_once_and_acts_within_its_scopes(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _session(todo)
    issued = await todo.create_api_token(ann, TokenName(" script "), READ, expires_in_days=30)
    assert issued.secret.startswith("todo_pat_") and len(issued.secret) > 40
    assert issued.token.name == "script"
    assert issued.token.expires_at == clock.now() + timedelta(days=30)
    (listed,) = await todo.list_api_tokens(ann)
    assert listed.id == issued.token.id and listed.digest != issued.secret
    assert issued.secret not in repr(listed) and issued.secret not in repr(issued)

    principal = await todo.authenticate(issued.secret)
    assert principal.user_id == ann.user_id and principal.scopes == READ
    principal.require(Scope.TASKS_READ)
    with pytest.raises(InsufficientScope, match="tasks:write"):
        principal.require(Scope.TASKS_WRITE)
    with pytest.raises(InsufficientScope, match="session"):
        principal.require(None)
    with pytest.raises(InsufficientScope):
        await todo.create_api_token(principal, TokenName("child"), READ)
    with pytest.raises(InsufficientScope):
        await todo.list_sessions(principal)
    (used,) = await todo.list_api_tokens(ann)
    assert used.last_used_at == clock.now()


async def test_a_deleted_or_expired_or_altered_token_is_refused(
    todo: TodoService, clock: FixedClock
) -> None:
    ann = await _session(todo)
    kept = await todo.create_api_token(ann, TokenName("kept"), READ, expires_in_days=1)
    gone = await todo.create_api_token(ann, TokenName("gone"), READ)
    await todo.authenticate(gone.secret)
    await todo.revoke_api_token(ann, gone.token.id)
    with pytest.raises(InvalidToken):
        await todo.authenticate(gone.secret)
    with pytest.raises(ApiTokenNotFound):
        await todo.revoke_api_token(ann, gone.token.id)
    with pytest.raises(InvalidToken):
        await todo.authenticate(kept.secret[:-1] + ("A" if kept.secret[-1] != "A" else "B"))
    clock.advance(timedelta(days=1))
    with pytest.raises(TokenExpired):
        await todo.authenticate(kept.secret)
    bob = await _session(todo, "bob@example.com")
    with pytest.raises(ApiTokenNotFound):
        await todo.revoke_api_token(bob, kept.token.id)


async def test_tokens_are_validated_and_counted(todo: TodoService) -> None:
    ann = await _session(todo)
    with pytest.raises(InvalidScope):
        scopes_of(["tasks:read", "tasks:delete"])
    with pytest.raises(InvalidScope):
        scopes_of([])
    with pytest.raises(InvalidTokenName):
        TokenName("   ")
    with pytest.raises(InvalidTokenExpiry):
        await todo.create_api_token(ann, TokenName("x"), READ, expires_in_days=367)
    for n in range(50):
        await todo.create_api_token(ann, TokenName(f"t{n}"), READ)
    with pytest.raises(TooManyApiTokens):
        await todo.create_api_token(ann, TokenName("one too many"), READ)
    assert [t.name for t in await todo.list_api_tokens(ann)][:2] == ["t49", "t48"]


async def test_each_token_has_its_own_request_budget(todo: TodoService) -> None:
    todo.container.settings().rate_limit_api_token = Rate(3, 60)
    ann = await _session(todo)
    first = await todo.create_api_token(ann, TokenName("first"), READ)
    second = await todo.create_api_token(ann, TokenName("second"), READ)
    for _ in range(3):
        await todo.authenticate(first.secret)
    with pytest.raises(RateLimitExceeded):
        await todo.authenticate(first.secret)
    await todo.authenticate(second.secret)
    await todo.authenticate((await todo.log_in("ann@example.com", PASSWORD)).access.token)
