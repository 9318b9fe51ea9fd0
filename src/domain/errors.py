"""The root of todo-api's errors, and the domain's own.

Every error todo-api raises on purpose is a `TodoApiError` carrying the contract's machine
`code`, a human `detail` and the `field` at fault. Domain errors (a rule of an entity or value
broken), application errors (a use case refused: not found, rate limited, storage unavailable)
and the HTTP edge's request errors are siblings under it.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "DescriptionTooLong",
    "DomainError",
    "InvalidColor",
    "InvalidDueDate",
    "InvalidEmail",
    "InvalidName",
    "InvalidPriority",
    "InvalidRecurrenceRule",
    "InvalidReminder",
    "InvalidScope",
    "InvalidTagName",
    "InvalidTimezone",
    "InvalidTitle",
    "InvalidTokenExpiry",
    "InvalidTokenName",
    "PasswordTooCommon",
    "PasswordTooLong",
    "PasswordTooShort",
    "TodoApiError",
    "TooManyReminders",
    "TooManyTags",
    "UnstorableText",
]


class TodoApiError(Exception):
    """An error of todo-api's contract: `code`, `detail` and the `field` at fault (or None)."""

    code: ClassVar[str] = "TODO_API_ERROR"
    default_detail: ClassVar[str] = "The request cannot be served."
    default_field: ClassVar[str | None] = None

    def __init__(self, detail: str | None = None, *, field: str | None = None) -> None:
        self.detail = detail or self.default_detail
        self.field = field if field is not None else self.default_field
        super().__init__(self.detail)


class DomainError(TodoApiError):
    """A rule of the domain was broken by the values given."""

    code = "DOMAIN_ERROR"
    default_detail = "The request breaks a rule of the service."


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


class InvalidTitle(DomainError):
    code = "INVALID_TITLE"
    default_detail = "The title must have 1 to 200 characters after trimming, one of them visible."
    default_field = "title"


class DescriptionTooLong(DomainError):
    code = "DESCRIPTION_TOO_LONG"
    default_detail = "The description must have at most 1000 characters."
    default_field = "description"


class InvalidPriority(DomainError):
    code = "INVALID_PRIORITY"
    default_detail = "The priority must be one of low, medium, high."
    default_field = "priority"


class InvalidTimezone(DomainError):
    code = "INVALID_TIMEZONE"
    default_detail = "The time zone must be an IANA name such as Europe/Berlin or UTC."
    default_field = "timezone"


class InvalidDueDate(DomainError):
    code = "INVALID_DUE_DATE"
    default_detail = "The due date must be an ISO 8601 date or date-time."
    default_field = "due_date"


class InvalidRecurrenceRule(DomainError):
    code = "INVALID_RRULE"
    default_detail = "The recurrence rule must be a valid iCalendar RRULE, with a due date."
    default_field = "recurrence_rule"


class TooManyTags(DomainError):
    code = "TOO_MANY_TAGS"
    default_detail = "A task carries at most 100 tags."
    default_field = "tag_ids"


class InvalidTagName(DomainError):
    code = "INVALID_TAG_NAME"
    default_detail = "The tag name must have 1 to 50 characters after trimming, one visible."
    default_field = "name"


class InvalidColor(DomainError):
    code = "INVALID_COLOR"
    default_detail = "The colour must be #RRGGBB."
    default_field = "color"


class UnstorableText(DomainError):
    """Text with a NUL character, which no database column can hold."""

    code = "VALIDATION_ERROR"
    default_detail = "Text fields must not contain NUL characters."


class InvalidReminder(DomainError):
    code = "INVALID_REMINDER"
    default_detail = "A reminder has before_minutes (with a due date) or at."
    default_field = "reminders"


class TooManyReminders(DomainError):
    code = "TOO_MANY_REMINDERS"
    default_detail = "A task carries at most 10 reminders."
    default_field = "reminders"


class InvalidScope(DomainError):
    code = "INVALID_SCOPE"
    default_detail = (
        "Scopes are one or more of tasks:read, tasks:write, tags:read, tags:write,"
        " account:read, webhooks:write."
    )
    default_field = "scopes"


class InvalidTokenName(DomainError):
    code = "INVALID_TOKEN_NAME"
    default_detail = "The token name must have 1 to 100 characters after trimming, one visible."
    default_field = "name"


class InvalidTokenExpiry(DomainError):
    code = "INVALID_TOKEN_EXPIRY"
    default_detail = "expires_in_days must be between 1 and 366."
    default_field = "expires_in_days"
