"""The notified credential cache (issue 16): bounded, dropped by notices, nothing trusted or
kept while notices may be missed, and no read kept across a notice it overlapped."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from todo_api.adapters.persistence.credential_notices import NotifiedCredentialCache
from todo_api.application.auth.credential_cache import CachedCredential
from todo_api.domain.email import Email
from todo_api.domain.ids import SessionId
from todo_api.domain.user import User

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)


def _credential(email: str = "ann@example.com") -> CachedCredential:
    user = User.register(email=Email.parse(email), password_hash="h", name=None, now=NOW)
    return CachedCredential(user, NOW + timedelta(minutes=5))


def _hearing(**options: object) -> NotifiedCredentialCache:
    cache = NotifiedCredentialCache(**options)  # type: ignore[arg-type]
    cache.hearing = True
    return cache


def test_a_kept_credential_is_found_until_a_notice_concerns_it() -> None:
    cache = _hearing()
    ann, other = _credential(), _credential("bob@example.com")
    session, token = SessionId(uuid.uuid4()), "abcdefgh"
    cache.keep(session, ann, cache.mark() or 0)
    cache.keep(token, other, cache.mark() or 0)
    assert cache.get(session, NOW) == ann and cache.get(token, NOW) == other
    cache.hear(f"s:{session}")
    assert cache.get(session, NOW) is None and cache.get(token, NOW) == other
    cache.hear(f"u:{other.user.id}")
    assert cache.get(token, NOW) is None and len(cache) == 0
    cache.keep(token, other, cache.mark() or 0)
    cache.hear(f"t:{token}")
    assert cache.get(token, NOW) is None
    cache.hear("u:not-a-uuid")  # ignored, not an error


def test_a_read_that_overlapped_a_notice_is_not_kept() -> None:
    cache = _hearing()
    session = SessionId(uuid.uuid4())
    mark = cache.mark()
    assert mark is not None
    cache.hear("s:" + str(uuid.uuid4()))  # any notice while the read was under way
    cache.keep(session, _credential(), mark)
    assert cache.get(session, NOW) is None


def test_nothing_is_trusted_or_kept_while_notices_may_be_missed() -> None:
    cache = _hearing()
    session = SessionId(uuid.uuid4())
    cache.keep(session, _credential(), cache.mark() or 0)
    cache.deaf()
    assert cache.mark() is None and cache.get(session, NOW) is None and len(cache) == 0
    cache.keep(session, _credential(), 1)
    cache.hearing = True
    assert cache.get(session, NOW) is None


def test_memory_is_bounded_and_entries_expire() -> None:
    cache = _hearing(max_entries=3)
    keys = [SessionId(uuid.uuid4()) for _ in range(5)]
    for key in keys:
        cache.keep(key, _credential(), cache.mark() or 0)
    assert len(cache) == 3
    assert [cache.get(key, NOW) is not None for key in keys] == [False, False, True, True, True]
    assert cache.get(keys[-1], NOW + timedelta(minutes=5)) is None
