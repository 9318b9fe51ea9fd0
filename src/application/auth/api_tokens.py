"""Personal API tokens (SPEC 16): made, listed and revoked by a signed-in session, shown once."""

from __future__ import annotations

from dataclasses import dataclass, field

from todo_api.application.auth.principal import Principal
from todo_api.application.errors import ApiTokenNotFound, TooManyApiTokens
from todo_api.application.ports import Clock, UnitOfWork
from todo_api.domain.api_token import ApiToken, Scope, TokenName, expiry_after, mint_api_token

__all__ = ["MAX_TOKENS", "CreateApiToken", "IssuedApiToken", "ListApiTokens", "RevokeApiToken"]

MAX_TOKENS = 50


@dataclass(frozen=True, slots=True)
class IssuedApiToken:
    token: ApiToken
    # The token itself: shown to its owner this once, stored only as a digest.
    secret: str = field(repr=False)


class CreateApiToken:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self,
        principal: Principal,
        name: TokenName,
        scopes: frozenset[Scope],
        expires_in_days: int | None = None,
    ) -> IssuedApiToken:
        """Raises InsufficientScope (a token cannot make tokens), InvalidTokenExpiry,
        TooManyApiTokens."""
        principal.require(None)
        now = self._clock.now()
        expires_at = expiry_after(now, expires_in_days)
        raw, lookup, digest = mint_api_token()
        async with self._uow as uow:
            if len(await uow.api_tokens.list(principal.user_id)) >= MAX_TOKENS:
                raise TooManyApiTokens
            token = await uow.api_tokens.add(
                ApiToken(
                    id=0,
                    user_id=principal.user_id,
                    name=name,
                    lookup=lookup,
                    digest=digest,
                    scopes=scopes,
                    created_at=now,
                    expires_at=expires_at,
                )
            )
            await uow.commit()
        return IssuedApiToken(token=token, secret=raw)


class ListApiTokens:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal) -> list[ApiToken]:
        """The caller's tokens, newest first (expired ones too, until deleted)."""
        principal.require(None)
        async with self._uow as uow:
            return await uow.api_tokens.list(principal.user_id)


class RevokeApiToken:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, principal: Principal, token_id: int) -> None:
        """Delete the token: refused from its next request on. Raises ApiTokenNotFound."""
        principal.require(None)
        async with self._uow as uow:
            if not await uow.api_tokens.delete(principal.user_id, token_id):
                raise ApiTokenNotFound
            await uow.commit()
