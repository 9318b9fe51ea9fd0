"""Personal API tokens over a dictionary, honouring the SQL adapter's contract."""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime

from todo_api.adapters.memory.repositories import InMemoryTables
from todo_api.application.ports import ApiTokenRepository
from todo_api.domain.api_token import ApiToken
from todo_api.domain.ids import UserId
from todo_api.domain.user import User

__all__ = ["InMemoryApiTokenRepository"]


class InMemoryApiTokenRepository(ApiTokenRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def add(self, token: ApiToken) -> ApiToken:
        if any(t.lookup == token.lookup for t in self._tables.api_tokens.values()):
            raise ValueError("lookup already taken")  # as the SQL unique constraint would
        stored = dataclasses.replace(token, id=next(self._tables.api_token_ids))
        self._tables.api_tokens[stored.id] = stored
        return copy.copy(stored)

    async def find(self, lookup: str) -> tuple[ApiToken, User] | None:
        for token in self._tables.api_tokens.values():
            user = self._tables.users.get(token.user_id)
            if token.lookup == lookup and user is not None:
                return copy.copy(token), copy.deepcopy(user)
        return None

    async def list(self, user_id: UserId) -> list[ApiToken]:
        mine = [copy.copy(t) for t in self._tables.api_tokens.values() if t.user_id == user_id]
        return sorted(mine, key=lambda t: (t.created_at, t.id), reverse=True)

    async def delete(self, user_id: UserId, token_id: int) -> bool:
        token = self._tables.api_tokens.get(token_id)
        if token is None or token.user_id != user_id:
            return False
        del self._tables.api_tokens[token_id]
        return True

    async def touch(self, token_id: int, now: datetime) -> None:
        token = self._tables.api_tokens.get(token_id)
        if token is not None:
            token.last_used_at = now
