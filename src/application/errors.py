"""Errors raised by the use cases: siblings of the domain errors under `TodoApiError`."""

from __future__ import annotations

from todo_api.domain.errors import TodoApiError

__all__ = [
    "ApiTokenNotFound",
    "ApplicationError",
    "EmailAlreadyExists",
    "EmailNotVerified",
    "IdempotencyKeyReused",
    "InsufficientScope",
    "InvalidCredentials",
    "InvalidCursor",
    "InvalidDate",
    "InvalidEventType",
    "InvalidFilter",
    "InvalidIdempotencyKey",
    "InvalidMfaCode",
    "InvalidPagination",
    "InvalidResetToken",
    "InvalidSortField",
    "InvalidStatus",
    "InvalidSyncToken",
    "InvalidTagMode",
    "InvalidToken",
    "InvalidTokenType",
    "InvalidVerificationToken",
    "InvalidWebhookUrl",
    "MfaAlreadyEnabled",
    "MfaNotEnabled",
    "MfaRequired",
    "MissingRefreshToken",
    "MissingToken",
    "Overloaded",
    "PreconditionFailed",
    "RateLimitExceeded",
    "RefreshTokenExpired",
    "RefreshTokenRevoked",
    "ReminderNotFound",
    "SchemaMissing",
    "SessionNotFound",
    "SessionRevoked",
    "StorageUnavailable",
    "SyncTokenExpired",
    "TagAlreadyExists",
    "TagNotFound",
    "TaskNotFound",
    "TokenExpired",
    "TooManyApiTokens",
    "TooManyWebhooks",
    "WebhookNotFound",
    "WrongCurrentPassword",
]


class ApplicationError(TodoApiError):
    """A use case refused: something is missing, not allowed now, or cannot be reached."""

    code = "APPLICATION_ERROR"


class EmailAlreadyExists(ApplicationError):
    code = "EMAIL_ALREADY_EXISTS"
    default_detail = "An account with this email address already exists."
    default_field = "email"


class InvalidCredentials(ApplicationError):
    code = "INVALID_CREDENTIALS"
    default_detail = "Incorrect email or password."


class WrongCurrentPassword(ApplicationError):
    code = "INVALID_CREDENTIALS"
    default_detail = "The current password is incorrect."
    default_field = "current_password"


class MissingToken(ApplicationError):
    code = "MISSING_TOKEN"
    default_detail = "An access token is required."


class TokenExpired(ApplicationError):
    code = "TOKEN_EXPIRED"
    default_detail = "The token has expired."


class InvalidToken(ApplicationError):
    code = "INVALID_TOKEN"
    default_detail = "The token is not valid."


class InvalidTokenType(ApplicationError):
    code = "INVALID_TOKEN_TYPE"
    default_detail = "The token is of the wrong type for this endpoint."


class SessionRevoked(ApplicationError):
    code = "SESSION_REVOKED"
    default_detail = "The session of this token has ended."


class MissingRefreshToken(ApplicationError):
    code = "MISSING_REFRESH_TOKEN"
    default_detail = "A refresh token cookie is required."


class RefreshTokenExpired(ApplicationError):
    code = "REFRESH_TOKEN_EXPIRED"
    default_detail = "The refresh token has expired."


class RefreshTokenRevoked(ApplicationError):
    code = "REFRESH_TOKEN_REVOKED"
    default_detail = "The refresh token is no longer valid."


class SessionNotFound(ApplicationError):
    code = "SESSION_NOT_FOUND"
    default_detail = "No such session."


class RateLimitExceeded(ApplicationError):
    code = "RATE_LIMIT_EXCEEDED"
    default_detail = "Too many requests; try again later."

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(detail)
        self.retry_after = max(1, retry_after)


class StorageUnavailable(ApplicationError):
    """The database or the shared rate-limit store (Redis) cannot be reached; retry later."""

    code = "SERVICE_UNAVAILABLE"
    default_detail = "The service is temporarily unavailable; try again shortly."


class SchemaMissing(StorageUnavailable):
    """The database answers but has no todo-api tables: it was never migrated."""

    default_detail = (
        "The database has no todo-api schema yet; an operator must run `todo-api db upgrade`."
    )


class Overloaded(ApplicationError):
    """Too much password work is already queued in this worker; retry shortly (503)."""

    code = "SERVICE_UNAVAILABLE"
    default_detail = "The service is busy; try again shortly."


class TaskNotFound(ApplicationError):
    code = "TASK_NOT_FOUND"
    default_detail = "No such task."


class ReminderNotFound(ApplicationError):
    code = "REMINDER_NOT_FOUND"
    default_detail = "The task has no such reminder."


class ApiTokenNotFound(ApplicationError):
    code = "TOKEN_NOT_FOUND"
    default_detail = "No such API token."


class TooManyApiTokens(ApplicationError):
    code = "TOO_MANY_TOKENS"
    default_detail = "An account holds at most 50 API tokens: delete one first."
    default_field = "name"


class InsufficientScope(ApplicationError):
    """An API token used beyond its scopes, or where only a signed-in session may act."""

    code = "INSUFFICIENT_SCOPE"
    default_detail = "The API token's scopes do not allow this."


class TagNotFound(ApplicationError):
    code = "TAG_NOT_FOUND"
    default_detail = "No such tag."


class TagAlreadyExists(ApplicationError):
    code = "TAG_ALREADY_EXISTS"
    default_detail = "A tag with this name already exists."
    default_field = "name"


class InvalidPagination(ApplicationError):
    code = "INVALID_PAGINATION"
    default_detail = "page and limit must be integers of at least 1."


class InvalidStatus(ApplicationError):
    code = "INVALID_STATUS"
    default_detail = "status must be one of all, pending, completed."
    default_field = "status"


class InvalidSortField(ApplicationError):
    code = "INVALID_SORT_FIELD"
    default_detail = (
        "sort must be one of created_at, updated_at, due_date, priority, title, optionally"
        " prefixed by '-', or relevance (with q)."
    )
    default_field = "sort"


class InvalidDate(ApplicationError):
    code = "INVALID_DATE"
    default_detail = "Expected an ISO 8601 date or date-time."


class InvalidTagMode(ApplicationError):
    code = "INVALID_TAG_MODE"
    default_detail = "tag_mode must be any or all."
    default_field = "tag_mode"


class InvalidFilter(ApplicationError):
    """A listing filter out of its range: `overdue` not a boolean, `due_within` not 0 to 3650,
    too many tags."""

    code = "INVALID_FILTER"
    default_detail = "A filter has a value it cannot take."


class InvalidCursor(ApplicationError):
    code = "INVALID_CURSOR"
    default_detail = (
        "This cursor is malformed, altered, or was issued for another sort or filter: start"
        " again with an empty cursor."
    )
    default_field = "cursor"


class PreconditionFailed(ApplicationError):
    """If-Match named another version than the current one; `version` is the current one."""

    code = "PRECONDITION_FAILED"
    default_detail = (
        "The resource changed since you read it: read it again, reapply your change, and send"
        " the new version in If-Match."
    )

    def __init__(self, version: int) -> None:
        super().__init__()
        self.version = version


class InvalidSyncToken(ApplicationError):
    code = "INVALID_SYNC_TOKEN"
    default_detail = "This sync token is malformed or altered: sync again from an empty since."
    default_field = "since"


class SyncTokenExpired(ApplicationError):
    code = "SYNC_TOKEN_EXPIRED"
    default_detail = (
        "This sync token is older than the deletions the service keeps: sync again from an"
        " empty since and replace the local copy."
    )
    default_field = "since"


class InvalidIdempotencyKey(ApplicationError):
    code = "INVALID_IDEMPOTENCY_KEY"
    default_detail = "An Idempotency-Key is 1 to 255 visible ASCII characters."
    default_field = "Idempotency-Key"


class IdempotencyKeyReused(ApplicationError):
    code = "IDEMPOTENCY_KEY_REUSED"
    default_detail = (
        "This Idempotency-Key was used for another request in the last 24 hours: use a new"
        " key for a new request."
    )
    default_field = "Idempotency-Key"


class InvalidVerificationToken(ApplicationError):
    code = "INVALID_VERIFICATION_TOKEN"
    default_detail = "This link is wrong, was used already, or has expired: ask for a new one."
    default_field = "token"


class InvalidResetToken(ApplicationError):
    code = "INVALID_RESET_TOKEN"
    default_detail = (
        "This reset link is wrong, was used already, has expired, or a newer one was sent:"
        " ask for a new one."
    )
    default_field = "token"


class EmailNotVerified(ApplicationError):
    code = "EMAIL_NOT_VERIFIED"
    default_detail = (
        "Verify your email address first: follow the link in the message we sent to it (a new"
        " one is on its way)."
    )


class MfaRequired(ApplicationError):
    """The password was right; the account wants its second factor: `mfa_token` carries the
    login to POST /auth/mfa/verify for five minutes."""

    code = "MFA_REQUIRED"
    default_detail = (
        "This account uses two-factor authentication: send a code from the authenticator app"
        " (or a recovery code) with this mfa_token to /api/v1/auth/mfa/verify."
    )

    def __init__(self, mfa_token: str) -> None:
        super().__init__()
        self.mfa_token = mfa_token


class InvalidMfaCode(ApplicationError):
    code = "INVALID_MFA_CODE"
    default_detail = (
        "This code is wrong, was used already, or is from too long ago: send the current code"
        " of the authenticator app, or an unused recovery code."
    )
    default_field = "code"


class MfaAlreadyEnabled(ApplicationError):
    code = "MFA_ALREADY_ENABLED"
    default_detail = "Two-factor authentication is on already: disable it first to start over."


class MfaNotEnabled(ApplicationError):
    code = "MFA_NOT_ENABLED"
    default_detail = "Two-factor authentication is not on for this account."


class InvalidWebhookUrl(ApplicationError):
    code = "INVALID_WEBHOOK_URL"
    default_detail = (
        "A webhook URL is an absolute https URL (http outside production) whose host resolves"
        " to public addresses only."
    )
    default_field = "url"


class InvalidEventType(ApplicationError):
    code = "INVALID_EVENT_TYPE"
    default_detail = "Unknown event type."
    default_field = "events"


class WebhookNotFound(ApplicationError):
    code = "WEBHOOK_NOT_FOUND"
    default_detail = "No such webhook."


class TooManyWebhooks(ApplicationError):
    code = "TOO_MANY_WEBHOOKS"
    default_detail = "An account has at most 20 webhooks: delete one first."
