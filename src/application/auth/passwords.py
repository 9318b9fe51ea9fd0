"""Choosing a new password: the length policy plus the common-password list."""

from __future__ import annotations

from application.ports import PasswordBlocklist
from domain.errors import PasswordTooCommon
from domain.password import check_password_length


def check_new_password(
    password: str, blocklist: PasswordBlocklist, *, field: str = "password"
) -> None:
    """Raise the contract error when the password may not be chosen."""
    check_password_length(password, field=field)
    if blocklist.is_common(password):
        raise PasswordTooCommon(field=field)
