from datetime import timedelta

import pytest

from tests.unit.application.conftest import Harness
from todo_api.application.errors import (
    InvalidToken,
    InvalidTokenType,
    MissingRefreshToken,
    RefreshTokenExpired,
    RefreshTokenRevoked,
    SessionRevoked,
)


async def test_refreshing_rotates_the_refresh_token(harness: Harness) -> None:
    await harness.user()
    pair = await harness.login()
    renewed = await harness.refresh().execute(pair.refresh.token)
    [session] = harness.store.tables.sessions.values()
    assert renewed.refresh.token != pair.refresh.token
    assert harness.tokens.decode_refresh(renewed.refresh.token).jti == session.refresh_jti
    await harness.authenticate().execute(renewed.access.token)


async def test_reusing_a_rotated_token_after_the_grace_revokes_the_whole_session(
    harness: Harness,
) -> None:
    await harness.user()
    pair = await harness.login()
    renewed = await harness.refresh().execute(pair.refresh.token)
    harness.clock.advance(timedelta(seconds=6))
    with pytest.raises(RefreshTokenRevoked):
        await harness.refresh().execute(pair.refresh.token)
    # The thief's replay ends the legitimate holder's session too.
    with pytest.raises(RefreshTokenRevoked):
        await harness.refresh().execute(renewed.refresh.token)
    with pytest.raises(SessionRevoked):
        await harness.authenticate().execute(renewed.access.token)


async def test_a_racing_duplicate_within_the_grace_gets_the_sessions_current_token(
    harness: Harness,
) -> None:
    await harness.user()
    pair = await harness.login()
    renewed = await harness.refresh().execute(pair.refresh.token)
    harness.clock.advance(timedelta(seconds=4))
    duplicate = await harness.refresh().execute(pair.refresh.token)
    # The same session, not rotated again: the loser carries the winner's refresh token.
    assert duplicate.refresh.jti == renewed.refresh.jti
    principal = await harness.authenticate().execute(duplicate.access.token)
    assert (
        principal.session_id
        == (await harness.authenticate().execute(renewed.access.token)).session_id
    )
    await harness.refresh().execute(renewed.refresh.token)


async def test_a_missing_token_is_reported_as_missing(harness: Harness) -> None:
    with pytest.raises(MissingRefreshToken):
        await harness.refresh().execute(None)


async def test_an_access_token_is_the_wrong_type(harness: Harness) -> None:
    await harness.user()
    pair = await harness.login()
    with pytest.raises(InvalidTokenType):
        await harness.refresh().execute(pair.access.token)


async def test_garbage_is_an_invalid_token(harness: Harness) -> None:
    with pytest.raises(InvalidToken):
        await harness.refresh().execute("not.a.jwt")


async def test_an_expired_refresh_token_is_reported_as_expired(harness: Harness) -> None:
    await harness.user()
    harness.clock.advance(timedelta(days=-8))
    pair = await harness.login()
    harness.clock.advance(timedelta(days=8))
    with pytest.raises(RefreshTokenExpired):
        await harness.refresh().execute(pair.refresh.token)


async def test_refresh_after_logout_is_revoked(harness: Harness) -> None:
    await harness.user()
    pair = await harness.login()
    await harness.log_out().execute(pair.refresh.token)
    with pytest.raises(RefreshTokenRevoked):
        await harness.refresh().execute(pair.refresh.token)
