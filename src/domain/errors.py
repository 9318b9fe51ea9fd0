"""Domain errors: each carries the contract's machine code, a message and the field at fault."""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A rule of the domain was broken; the edge turns it into the contract's error shape."""

    code: ClassVar[str] = "DOMAIN_ERROR"
    default_detail: ClassVar[str] = "The request breaks a rule of the service."
    default_field: ClassVar[str | None] = None

    def __init__(self, detail: str | None = None, *, field: str | None = None) -> None:
        self.detail = detail or self.default_detail
        self.field = field if field is not None else self.default_field
        super().__init__(self.detail)


class InvalidEmail(DomainError):
    code = "INVALID_EMAIL"
    default_detail = "The email address is not valid."
    default_field = "email"


class PasswordTooShort(DomainError):
    code = "PASSWORD_TOO_SHORT"
    default_detail = "The password must have at least 8 characters."
    default_field = "password"


class PasswordTooLong(DomainError):
    code = "PASSWORD_TOO_LONG"
    default_detail = "The password must have at most 128 characters."
    default_field = "password"


class PasswordTooCommon(DomainError):
    code = "PASSWORD_TOO_COMMON"
    default_detail = "This password is too common; choose another one."
    default_field = "password"


class InvalidName(DomainError):
    code = "INVALID_NAME"
    default_detail = "The name must have at most 100 characters."
    default_field = "name"
