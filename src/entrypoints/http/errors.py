"""The one table from error to HTTP status, and the handlers that give every error one shape."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from msgspec import UNSET, UnsetType

from todo_api.application import errors as app
from todo_api.application.idempotency import Replay
from todo_api.domain.errors import DomainError, TodoApiError, UnstorableText
from todo_api.entrypoints.http.idempotency import replayed

log = structlog.get_logger("todo_api.errors")

RETRY_AFTER_UNAVAILABLE = 5


class ErrorBody(msgspec.Struct):
    """The body of every error response."""

    detail: str
    code: str
    field: str | None = None
    # Only on 412 PRECONDITION_FAILED: the version the resource has now.
    version: int | UnsetType = UNSET
    # Only on 401 MFA_REQUIRED: what POST /auth/mfa/verify completes the login with.
    mfa_token: str | UnsetType = UNSET


class RequestError(TodoApiError):
    """The HTTP request itself is refused, before any use case runs."""

    code = "BAD_REQUEST"


class RequestValidationError(RequestError):
    code = "VALIDATION_ERROR"
    default_detail = "The request is malformed or a field is missing or of the wrong type."


class CsrfRejected(RequestError):
    code = "CSRF_REJECTED"
    default_detail = (
        "Cross-site request refused: a browser page may call the auth endpoints only from an"
        " origin listed in CORS_ORIGINS."
    )


class MetricsRefused(RequestError):
    code = "MISSING_TOKEN"
    default_detail = "The metrics need the METRICS_TOKEN as a Bearer token."


class UnsupportedMediaType(RequestError):
    code = "UNSUPPORTED_MEDIA_TYPE"
    default_detail = "Send the body as application/json."


# Looked up along the error's class hierarchy: the nearest listed ancestor decides the status.
STATUS_BY_ERROR: dict[type[TodoApiError], int] = {
    TodoApiError: 400,
    DomainError: 400,
    RequestError: 400,
    RequestValidationError: 422,
    CsrfRejected: 403,
    MetricsRefused: 401,
    UnsupportedMediaType: 415,
    app.EmailAlreadyExists: 400,
    app.InvalidCredentials: 401,
    app.WrongCurrentPassword: 400,
    app.MissingToken: 401,
    app.TokenExpired: 401,
    app.InvalidToken: 401,
    app.InvalidTokenType: 401,
    app.SessionRevoked: 401,
    app.MissingRefreshToken: 401,
    app.RefreshTokenExpired: 401,
    app.RefreshTokenRevoked: 401,
    app.SessionNotFound: 404,
    app.TaskNotFound: 404,
    app.TagNotFound: 404,
    app.ReminderNotFound: 404,
    app.WebhookNotFound: 404,
    app.TagAlreadyExists: 400,
    app.TooManyApiTokens: 400,
    app.ApiTokenNotFound: 404,
    app.InsufficientScope: 403,
    app.PreconditionFailed: 412,
    app.EmailNotVerified: 403,
    app.MfaRequired: 401,
    app.SyncTokenExpired: 410,
    app.IdempotencyKeyReused: 422,
    UnstorableText: 422,
    app.RateLimitExceeded: 429,
    app.StorageUnavailable: 503,
    app.Overloaded: 503,
}

# Errors the framework raises itself, by status.
_FRAMEWORK_CODES = {
    400: "VALIDATION_ERROR",
    401: "MISSING_TOKEN",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMIT_EXCEEDED",
    503: "SERVICE_UNAVAILABLE",
}


def status_of(error: TodoApiError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def error_response(
    status: int,
    code: str,
    detail: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response[ErrorBody]:
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return Response(
        ErrorBody(detail=detail, code=code, field=field),
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


def unavailable_body() -> bytes:
    """The 503 body, for the request deadline that fires outside the framework."""
    return msgspec.json.encode(
        ErrorBody(detail=app.StorageUnavailable.default_detail, code="SERVICE_UNAVAILABLE")
    )


# Refusals an operator watches for: guessing, throttling, replayed tokens, cross-site attempts.
_SECURITY_EVENTS: tuple[type[TodoApiError], ...] = (
    app.InvalidCredentials,
    app.InvalidMfaCode,
    app.WrongCurrentPassword,
    app.RateLimitExceeded,
    app.RefreshTokenRevoked,
    app.SessionRevoked,
    CsrfRejected,
)


def handle_todo_api_error(request: Request, error: Exception) -> Response[Any]:
    assert isinstance(error, TodoApiError)
    status = status_of(error)
    if isinstance(error, _SECURITY_EVENTS):
        # Never the email or password typed: the route, the code and who asked suffice.
        log.warning(
            "security_event",
            code=error.code,
            route=request.scope.get("path_template"),
            client=request.client.host if request.client else None,
        )
    headers = {}
    if isinstance(error, Replay):
        return replayed(error.outcome)
    if isinstance(error, app.PreconditionFailed):
        return Response(
            ErrorBody(error.detail, error.code, version=error.version),
            status_code=status,
            media_type=MediaType.JSON,
            headers={"ETag": f'"{error.version}"'},
        )
    if isinstance(error, app.MfaRequired):
        return Response(
            ErrorBody(error.detail, error.code, mfa_token=error.mfa_token),
            status_code=status,
            media_type=MediaType.JSON,
            headers={"WWW-Authenticate": "Bearer", "Cache-Control": "no-store"},
        )
    if isinstance(error, app.RateLimitExceeded):
        headers["Retry-After"] = str(error.retry_after)
    elif status == 503:
        # A lost database or Redis (the cause names which), or a full bcrypt queue.
        log.warning("unavailable", error=type(error).__name__, cause=type(error.__cause__).__name__)
        headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
    return error_response(status, error.code, error.detail, error.field, headers)


def handle_http_exception(_: Request, error: Exception) -> Response[ErrorBody]:
    assert isinstance(error, HTTPException)
    status = error.status_code
    field = None
    if status == 400 or isinstance(error, ValidationException):
        status, field = 422, _field_of(error)
    elif status >= 500:
        return handle_unexpected(_, error)
    code = _FRAMEWORK_CODES.get(status, "HTTP_ERROR")
    detail = _framework_detail(status, error)
    headers = {k: v for k, v in (error.headers or {}).items() if k.lower() == "allow"}
    if status == 429:
        headers["Retry-After"] = (error.headers or {}).get("Retry-After", "60")
    return error_response(status, code, detail, field, headers)


def handle_too_deep(_: Request, error: Exception) -> Response[ErrorBody]:
    # msgspec gives up on pathologically nested JSON with RecursionError while decoding a body.
    log.warning("body_nested_too_deeply")
    return error_response(422, "VALIDATION_ERROR", "The JSON body is nested too deeply.")


def handle_not_utf8(_: Request, error: Exception) -> Response[ErrorBody]:
    # Bodies and their strings must be UTF-8; decoding one that is not fails deep in the parser.
    return error_response(422, "VALIDATION_ERROR", "The body is not valid UTF-8.")


def handle_unexpected(_: Request, error: Exception) -> Response[ErrorBody]:
    log.error("unhandled_exception", exc_info=error)
    return error_response(500, "INTERNAL_ERROR", "An unexpected error occurred.")


_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")
_FIELD_PATH = re.compile(r"at `\$\.([A-Za-z_][A-Za-z0-9_]*)")


def field_from_message(message: str) -> str | None:
    """The top-level field a msgspec validation message names, if any."""
    match = (
        _FIELD_PATH.search(message)
        or _MISSING_FIELD.search(message)
        or _UNKNOWN_FIELD.search(message)
    )
    return match.group(1) if match else None


def _field_of(error: HTTPException) -> str | None:
    extra = error.extra
    if isinstance(extra, list) and extra and isinstance(extra[0], dict):
        named = field_from_message(str(extra[0].get("message", "")))
        key = extra[0].get("key")
        if named:
            return named
        # A type decoder's error is reported at its item ("tag_ids[0]"); the field is the list.
        return str(key).split("[", 1)[0] if key and key != "data" else None
    return None


def _framework_detail(status: int, error: HTTPException) -> str:
    if status == 422:
        extra = error.extra
        if isinstance(extra, list) and extra and isinstance(extra[0], dict):
            message = str(extra[0].get("message") or "")
            if message == "'data'":
                return "The request body is missing: send a JSON object."
            if unknown := _UNKNOWN_FIELD.search(message):
                return f"Unknown field `{unknown.group(1)}`: this endpoint does not take it."
            key = extra[0].get("key")
            if message and key and key != "data" and "at `$" not in message:
                return f"Invalid request: {message} - at `{key}`"
            if message:
                return f"Invalid request: {message}"
        if error.detail and not str(error.detail).startswith("Validation failed"):
            # The JSON decoder's own words, with the byte position ("... (byte 14)").
            return f"The body is not valid JSON: {error.detail}."
        return "The request body or parameters are malformed."
    known = {
        404: "No such resource.",
        405: "This method is not allowed here.",
        413: "The request body is too large.",
        415: "This media type is not supported.",
    }
    return known.get(status, str(error.detail))


EXCEPTION_HANDLERS = {
    TodoApiError: handle_todo_api_error,
    HTTPException: handle_http_exception,
    RecursionError: handle_too_deep,
    UnicodeDecodeError: handle_not_utf8,
    Exception: handle_unexpected,
}
