"""Checking a bearer credential: an access token against its server-side session, or a personal
API token against its stored digest."""

from __future__ import annotations

import copy
from datetime import timedelta

from todo_api.application.auth.credential_cache import (
    CachedCredential,
    CredentialCache,
    NoCredentialCache,
)
from todo_api.application.auth.principal import Principal
from todo_api.application.errors import (
    InvalidToken,
    MissingToken,
    RateLimitExceeded,
    SessionRevoked,
    TokenExpired,
)
from todo_api.application.ports import Clock, RateLimiter, TokenService, UnitOfWork
from todo_api.application.rates import Rate, limiter_key
from todo_api.domain.api_token import ApiToken, lookup_of
from todo_api.domain.user import User

__all__ = ["Authenticate"]

# A token's last use is written at most this often: not a write per request.
TOUCH_EVERY = timedelta(minutes=1)


class Authenticate:
    """Turn a bearer token into a Principal, refusing tokens whose session has ended.

    The session lookup is what makes logout and revocation take effect at once rather than
    when the 15-minute token expires; it reads the user in the same lookup, so a request needs
    no second query to know who is calling. With a `cache` kept true by notifications of every
    revocation and user change, a credential seen before is not read again (fail closed: a
    cache not hearing the notifications answers nothing). A personal API token (`todo_pat_…`)
    is looked up the same way, so deleting it refuses its next request; each token spends its
    own `token_rate` budget (None: unlimited).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        tokens: TokenService,
        clock: Clock,
        writer: UnitOfWork | None = None,
        limiter: RateLimiter | None = None,
        token_rate: Rate | None = None,
        cache: CredentialCache | None = None,
        cache_for: timedelta = timedelta(minutes=5),
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock
        self._writer = writer
        self._limiter = limiter
        self._token_rate = token_rate
        self._cache = cache if cache is not None else NoCredentialCache()
        self._cache_for = cache_for

    async def execute(self, token: str | None) -> Principal:
        if not token:
            raise MissingToken
        lookup = lookup_of(token)
        if lookup is not None:
            return await self._api_token(token, lookup)
        claims = self._tokens.decode_access(token)
        now = self._clock.now()
        cached = self._cache.get(claims.session_id, now)
        if cached is not None and cached.user.id == claims.user_id:
            # A copy: a use case may change its principal's user before writing it.
            return Principal(user=copy.copy(cached.user), session_id=claims.session_id)
        mark = self._cache.mark()
        async with self._uow as uow:
            found = await uow.sessions.live_session_user(claims.session_id, claims.user_id, now)
        if found is None:
            raise SessionRevoked
        user, expires_at = found
        if mark is not None:
            until = min(expires_at, now + self._cache_for)
            # Its own copy: the caller may change the user it is given.
            self._cache.keep(claims.session_id, CachedCredential(copy.copy(user), until), mark)
        return Principal(user=user, session_id=claims.session_id)

    async def _api_token(self, raw: str, lookup: str) -> Principal:
        now = self._clock.now()
        cached = self._cache.get(lookup, now)
        if cached is not None and cached.token is not None:
            found: tuple[ApiToken, User] | None = (cached.token, copy.copy(cached.user))
        else:
            mark = self._cache.mark()
            async with self._uow as uow:
                found = await uow.api_tokens.find(lookup)
            if found is not None and mark is not None:
                until = min(found[0].expires_at, now + self._cache_for)
                credential = CachedCredential(copy.copy(found[1]), until, token=found[0])
                self._cache.keep(lookup, credential, mark)
        if found is None or not found[0].is_for(raw):
            raise InvalidToken
        api_token, user = found
        if api_token.expired(now):
            raise TokenExpired
        if self._limiter is not None and self._token_rate is not None:
            key = limiter_key("api-token", str(api_token.id))
            decision = await self._limiter.hit(key, self._token_rate)
            if not decision.allowed:
                raise RateLimitExceeded(decision.retry_after)
        last = api_token.last_used_at
        if self._writer is not None and (last is None or now - last >= TOUCH_EVERY):
            async with self._writer as uow:
                await uow.api_tokens.touch(api_token.id, now)
                await uow.commit()
            api_token.last_used_at = now  # a cached token then waits its minute too
        return Principal(user=user, session_id=None, scopes=api_token.scopes, token_id=api_token.id)
