"""Choosing a new password: the length policy plus the common-password list."""

from __future__ import annotations

from collections.abc import Sequence

from todo_api.application.ports import PasswordBlocklist
from todo_api.domain.errors import PasswordTooCommon
from todo_api.domain.password import check_password_length

__all__ = ["check_new_password"]


def check_new_password(
    password: str,
    blocklist: PasswordBlocklist,
    *,
    field: str = "password",
    user_inputs: Sequence[str] = (),
) -> None:
    """Raise the contract error when the password may not be chosen."""
    check_password_length(password, field=field)
    if blocklist.is_common(password, user_inputs):
        raise PasswordTooCommon(field=field)
