import pytest

from tests.unit.application.conftest import PASSWORD, Harness
from todo_api.application.auth.account import ChangePasswordCommand
from todo_api.application.errors import (
    MissingToken,
    SessionNotFound,
    SessionRevoked,
    WrongCurrentPassword,
)
from todo_api.domain.errors import PasswordTooShort


async def test_authenticating_names_the_user_and_session(harness: Harness) -> None:
    user = await harness.user()
    pair = await harness.login()
    principal = await harness.authenticate().execute(pair.access.token)
    assert principal.user_id == user.id


async def test_no_token_is_missing(harness: Harness) -> None:
    with pytest.raises(MissingToken):
        await harness.authenticate().execute(None)


async def test_logout_stops_access_tokens_at_once(harness: Harness) -> None:
    await harness.user()
    pair = await harness.login()
    await harness.log_out().execute(pair.refresh.token)
    with pytest.raises(SessionRevoked):
        await harness.authenticate().execute(pair.access.token)


@pytest.mark.parametrize("token", [None, "", "garbage", "a.b.c"])
async def test_logout_with_any_bad_token_is_a_quiet_no_op(
    harness: Harness, token: str | None
) -> None:
    await harness.log_out().execute(token)


async def test_logout_everywhere_ends_every_session(harness: Harness) -> None:
    await harness.user()
    first, second = await harness.login(), await harness.login()
    principal = await harness.authenticate().execute(first.access.token)
    assert await harness.log_out_everywhere().execute(principal) == 2
    for pair in (first, second):
        with pytest.raises(SessionRevoked):
            await harness.authenticate().execute(pair.access.token)


async def test_listing_shows_only_live_sessions_of_the_caller(harness: Harness) -> None:
    await harness.user()
    await harness.user("bob@example.com")
    ann_one, ann_two = await harness.login(), await harness.login()
    await harness.login("bob@example.com")
    await harness.log_out().execute(ann_one.refresh.token)
    principal = await harness.authenticate().execute(ann_two.access.token)
    sessions = await harness.list_sessions().execute(principal)
    assert [s.id for s in sessions] == [principal.session_id]


async def test_one_cannot_revoke_another_users_session(harness: Harness) -> None:
    await harness.user()
    await harness.user("bob@example.com")
    ann = await harness.authenticate().execute((await harness.login()).access.token)
    bob = await harness.authenticate().execute(
        (await harness.login("bob@example.com")).access.token
    )
    with pytest.raises(SessionNotFound):
        await harness.revoke_session().execute(ann, bob.session_id)
    await harness.revoke_session().execute(bob, bob.session_id)
    with pytest.raises(SessionNotFound):
        await harness.revoke_session().execute(bob, bob.session_id)


async def test_changing_the_password_ends_every_other_session(harness: Harness) -> None:
    await harness.user()
    current, other = await harness.login(), await harness.login()
    principal = await harness.authenticate().execute(current.access.token)
    await harness.change_password().execute(
        principal,
        ChangePasswordCommand(current_password=PASSWORD, new_password="a new long secret"),
    )
    await harness.authenticate().execute(current.access.token)
    with pytest.raises(SessionRevoked):
        await harness.authenticate().execute(other.access.token)
    await harness.login(password="a new long secret")


async def test_a_wrong_current_password_changes_nothing(harness: Harness) -> None:
    await harness.user()
    principal = await harness.authenticate().execute((await harness.login()).access.token)
    with pytest.raises(WrongCurrentPassword) as caught:
        await harness.change_password().execute(
            principal,
            ChangePasswordCommand(current_password="wrong password", new_password="another secret"),
        )
    assert caught.value.code == "INVALID_CREDENTIALS"
    await harness.login()


async def test_the_new_password_follows_the_policy(harness: Harness) -> None:
    await harness.user()
    principal = await harness.authenticate().execute((await harness.login()).access.token)
    with pytest.raises(PasswordTooShort) as caught:
        await harness.change_password().execute(
            principal, ChangePasswordCommand(current_password=PASSWORD, new_password="short")
        )
    assert caught.value.field == "new_password"


async def test_renaming_updates_the_stored_user(harness: Harness) -> None:
    user = await harness.user()
    principal = await harness.authenticate().execute((await harness.login()).access.token)
    await harness.update_profile().execute(principal, " Ann B ")
    token = (await harness.login()).access.token
    assert (await harness.authenticate().execute(token)).user.name == "Ann B"
    assert harness.store.tables.users[user.id].name == "Ann B"
