"""Authentication through a credential cache (issue 16): a cached session or token answers
without the store, a notice ends that, and no caller can change what the cache holds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dependency_injector import providers

from todo_api import TodoService
from todo_api.adapters.clock import FixedClock
from todo_api.adapters.persistence.credential_notices import NotifiedCredentialCache
from todo_api.application.errors import SessionRevoked
from todo_api.domain.api_token import Scope, TokenName
from todo_api.domain.user import DisplayName

PASSWORD = "correct horse battery"


async def test_a_cached_credential_answers_until_its_notice_and_stays_as_read() -> None:
    todo = TodoService.in_memory(FixedClock(datetime(2026, 3, 1, 9, tzinfo=UTC)))
    cache = NotifiedCredentialCache()
    cache.hearing = True
    todo.container.credential_cache.override(providers.Object(cache))
    await todo.register("ann@example.com", PASSWORD)
    access = (await todo.log_in("ann@example.com", PASSWORD)).access.token
    first = await todo.authenticate(access)
    token = await todo.create_api_token(first, TokenName("t"), frozenset({Scope.TASKS_READ}))
    await todo.authenticate(token.secret)
    assert len(cache) == 2

    first.user.name = DisplayName("Mallory")  # a use case changing its principal's user
    assert (await todo.authenticate(access)).user.name is None

    # Revoked in the store without a notice: the cache still answers (it is what is tested);
    # the notice then ends it.
    await todo.log_out_everywhere(first)
    assert (await todo.authenticate(access)).user_id == first.user_id
    cache.hear(f"s:{first.session_id}")
    assert len(cache) == 1
    with pytest.raises(SessionRevoked):
        await todo.authenticate(access)
