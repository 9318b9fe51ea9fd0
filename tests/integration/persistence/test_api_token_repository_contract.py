"""The API token store every adapter keeps (memory, SQLite, Postgres): found by its lookup part
with its owner, listed newest first, deleted only by its owner, gone with the account."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.persistence.conftest import UowFactory
from tests.integration.persistence.test_task_repository_contract import T0, _user
from todo_api.domain.api_token import ApiToken, Scope, TokenName, mint_api_token
from todo_api.domain.ids import UserId


async def _add(uow_factory: UowFactory, user_id: UserId, name: str, minutes: int = 0) -> ApiToken:
    _, lookup, digest = mint_api_token()
    token = ApiToken(
        id=0,
        user_id=user_id,
        name=TokenName(name),
        lookup=lookup,
        digest=digest,
        scopes=frozenset({Scope.TASKS_READ, Scope.TAGS_WRITE}),
        created_at=T0 + timedelta(minutes=minutes),
        expires_at=T0 + timedelta(days=90),
    )
    async with uow_factory() as uow:
        stored = await uow.api_tokens.add(token)
        await uow.commit()
    return stored


async def test_tokens_are_found_listed_touched_and_deleted(uow_factory: UowFactory) -> None:
    ann, bob = await _user(uow_factory), await _user(uow_factory, "bob@example.com")
    first = await _add(uow_factory, ann, "first")
    second = await _add(uow_factory, ann, "second", minutes=1)
    await _add(uow_factory, bob, "bob's")
    assert first.id != second.id
    async with uow_factory() as uow:
        found = await uow.api_tokens.find(first.lookup)
        assert await uow.api_tokens.find("nothing1") is None
        assert [t.name for t in await uow.api_tokens.list(ann)] == ["second", "first"]
        await uow.api_tokens.touch(first.id, T0 + timedelta(hours=1))
        assert not await uow.api_tokens.delete(bob, second.id)
        assert await uow.api_tokens.delete(ann, second.id)
        await uow.commit()
    assert found is not None
    token, owner = found
    assert owner.id == ann and token.digest == first.digest and token.scopes == first.scopes
    assert token.expires_at == first.expires_at and token.last_used_at is None
    async with uow_factory() as uow:
        (left,) = await uow.api_tokens.list(ann)
        assert left.last_used_at == T0 + timedelta(hours=1)
        await uow.users.delete(ann)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.api_tokens.find(first.lookup) is None
        assert len(await uow.api_tokens.list(bob)) == 1
