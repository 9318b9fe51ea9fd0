import pytest

from tests.unit.application.conftest import PASSWORD, Harness
from todo_api.application.auth.register import RegisterCommand
from todo_api.application.errors import EmailAlreadyExists
from todo_api.domain.errors import InvalidEmail, InvalidName, PasswordTooCommon, PasswordTooShort


async def test_registering_stores_the_user_with_a_normalised_email_and_a_hash(
    harness: Harness,
) -> None:
    user = await harness.register().execute(
        RegisterCommand(email="Ann@Example.com", password=PASSWORD, name="Ann")
    )
    stored = harness.store.tables.users[user.id]
    assert stored.email.value == "ann@example.com"
    assert stored.name == "Ann"
    assert stored.password_hash != PASSWORD
    assert await harness.hasher.verify(PASSWORD, stored.password_hash)


async def test_a_case_variant_of_a_taken_email_is_refused(harness: Harness) -> None:
    await harness.user("ann@example.com")
    with pytest.raises(EmailAlreadyExists):
        await harness.user("ANN@example.com")
    assert len(harness.store.tables.users) == 1


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (RegisterCommand(email="nope", password=PASSWORD), InvalidEmail),
        (RegisterCommand(email="a@example.com", password="short"), PasswordTooShort),
        (RegisterCommand(email="a@example.com", password="Password123"), PasswordTooCommon),
        (RegisterCommand(email="a@example.com", password=PASSWORD, name="x" * 101), InvalidName),
    ],
)
async def test_invalid_registrations_store_nothing(
    harness: Harness, command: RegisterCommand, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await harness.register().execute(command)
    assert harness.store.tables.users == {}


def test_the_command_never_shows_the_password() -> None:
    assert PASSWORD not in repr(RegisterCommand(email="a@example.com", password=PASSWORD))
