"""The email address value object."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from todo_api.domain.errors import InvalidEmail

__all__ = ["MAX_EMAIL_LENGTH", "Email"]

MAX_EMAIL_LENGTH = 254


@dataclass(frozen=True, slots=True)
class Email:
    """A syntactically valid address, normalised so that equal addresses compare equal.

    Addresses are compared case-insensitively (the contract), so the normalised form is lower-cased
    after email-validator's own normalisation (Unicode NFC, IDNA domain).
    """

    value: str

    @classmethod
    def parse(cls, raw: str) -> Email:
        if len(raw) > MAX_EMAIL_LENGTH or "\x00" in raw:
            raise InvalidEmail
        try:
            checked = validate_email(raw.strip(), check_deliverability=False)
        except EmailNotValidError as error:
            raise InvalidEmail(f"The email address is not valid: {error}") from None
        return cls(checked.normalized.lower())

    def __str__(self) -> str:
        return self.value
