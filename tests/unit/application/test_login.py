import pytest

from tests.unit.application.conftest import Harness
from todo_api.application.errors import InvalidCredentials, RateLimitExceeded


async def test_valid_credentials_start_a_session_and_issue_both_tokens(harness: Harness) -> None:
    user = await harness.user()
    pair = await harness.login("ANN@example.com")
    [session] = harness.store.tables.sessions.values()
    access = harness.tokens.decode_access(pair.access.token)
    refresh = harness.tokens.decode_refresh(pair.refresh.token)
    assert access.user_id == refresh.user_id == session.user_id == user.id
    assert access.session_id == refresh.session_id == session.id
    assert refresh.jti == session.refresh_jti


async def test_login_with_unknown_email_answers_like_a_wrong_password(harness: Harness) -> None:
    await harness.user()
    with pytest.raises(InvalidCredentials) as wrong_password:
        await harness.login(password="not the password")
    verifications_after_wrong_password = harness.hasher.verifications
    with pytest.raises(InvalidCredentials) as unknown_email:
        await harness.login(email="nobody@example.com")
    assert str(wrong_password.value) == str(unknown_email.value)
    # Exactly one hash verification on either path: the timing reveals nothing.
    assert verifications_after_wrong_password == 1
    assert harness.hasher.verifications == 2


async def test_a_malformed_email_is_just_invalid_credentials(harness: Harness) -> None:
    with pytest.raises(InvalidCredentials):
        await harness.login(email="not-an-email")
    assert harness.hasher.verifications == 1


async def test_failed_logins_per_account_are_limited_even_with_the_right_password(
    harness: Harness,
) -> None:
    await harness.user()
    for _ in range(20):
        with pytest.raises(InvalidCredentials):
            await harness.login(password="wrong password!")
    with pytest.raises(RateLimitExceeded) as caught:
        await harness.login()
    assert caught.value.retry_after > 0
    harness.monotonic.now += 3600
    await harness.login()


async def test_a_successful_login_clears_the_failure_count(harness: Harness) -> None:
    await harness.user()
    for _ in range(19):
        with pytest.raises(InvalidCredentials):
            await harness.login(password="wrong password!")
    await harness.login()
    for _ in range(19):
        with pytest.raises(InvalidCredentials):
            await harness.login(password="wrong password!")
    await harness.login()


async def test_each_login_starts_its_own_session(harness: Harness) -> None:
    await harness.user()
    first = await harness.login()
    second = await harness.login()
    assert first.access.token != second.access.token
    assert len(harness.store.tables.sessions) == 2
