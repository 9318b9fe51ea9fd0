import pytest

from todo_api.domain.errors import PasswordTooLong, PasswordTooShort
from todo_api.domain.password import MAX_PASSWORD_LENGTH, check_password_length


def test_seven_characters_are_too_short() -> None:
    with pytest.raises(PasswordTooShort):
        check_password_length("a" * 7)


def test_eight_characters_are_enough() -> None:
    check_password_length("a" * 8)


def test_sixty_four_multibyte_characters_are_allowed() -> None:
    # 64 four-byte characters are 256 UTF-8 bytes, far past bcrypt's 72.
    check_password_length("🔑" * 64)


def test_past_the_cap_is_too_long() -> None:
    check_password_length("a" * MAX_PASSWORD_LENGTH)
    with pytest.raises(PasswordTooLong) as caught:
        check_password_length("a" * (MAX_PASSWORD_LENGTH + 1))
    assert caught.value.code == "PASSWORD_TOO_LONG"
