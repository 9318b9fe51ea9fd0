"""The password policy: length only, no composition rules (NIST SP 800-63B)."""

from __future__ import annotations

import unicodedata

from todo_api.domain.errors import PasswordTooLong, PasswordTooShort

__all__ = ["MAX_PASSWORD_LENGTH", "MIN_PASSWORD_LENGTH", "check_password_length", "normalised"]

MIN_PASSWORD_LENGTH = 8
# Hashing pre-hashes the password (ADR 0004), so every character counts; the cap only bounds work.
MAX_PASSWORD_LENGTH = 128


def check_password_length(password: str, *, field: str = "password") -> None:
    """Raise when the password is shorter or longer than the policy allows."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordTooLong(field=field)


def normalised(password: str) -> str:
    """The form a password is hashed and checked in: Unicode NFKC (NIST SP 800-63B 5.1.1.2).

    The same password typed on two keyboards can arrive composed (é) or decomposed (e + ́);
    both must open the account.
    """
    return unicodedata.normalize("NFKC", password)
