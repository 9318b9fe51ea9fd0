"""Errors raised by the use cases; they share the domain errors' shape (code, detail, field)."""

from __future__ import annotations

from domain.errors import DomainError


class ApplicationError(DomainError):
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
    code = "SERVICE_UNAVAILABLE"
    default_detail = "The service is temporarily unavailable; try again shortly."
