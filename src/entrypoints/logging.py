"""Structured logging: JSON lines in production, readable lines in development."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import msgspec
import structlog

# Never let these reach a log line, whatever a caller binds.
_SECRET_KEYS = frozenset(
    {
        "password",
        "new_password",
        "current_password",
        "token",
        "access_token",
        "refresh_token",
        "authorization",
        "cookie",
        "set-cookie",
        "jwt_secret_key",
    }
)


def _redact(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in event.keys() & _SECRET_KEYS:
        event[key] = "[redacted]"
    return event


def _json_bytes(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> bytes:
    return msgspec.json.encode(event, enc_hook=str)


def _console_renderer() -> structlog.dev.ConsoleRenderer:
    # structlog's default formatter, with rich installed, prints every frame's local variables:
    # the request body with its password, the cookies. A plain traceback names lines only.
    # Colours only for a person at a terminal, never in a file or a pipe.
    return structlog.dev.ConsoleRenderer(
        colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
    )


def configure_logging(level: str, fmt: str) -> None:
    """Our own events go straight to stderr through structlog; library loggers (uvicorn,
    SQLAlchemy, Alembic) go through the standard library and are rendered the same way."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact,
    ]
    numeric_level = logging.getLevelName(level)
    if fmt == "json":
        # One msgspec-encoded line per event, written as bytes: the access log is on every
        # request's path, so it must cost microseconds.
        structlog.configure(
            processors=[*shared, structlog.processors.format_exc_info, _json_bytes],
            wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
            logger_factory=structlog.BytesLoggerFactory(sys.stderr.buffer),
            cache_logger_on_first_use=True,
        )
        foreign: Any = structlog.processors.JSONRenderer()
    else:
        structlog.configure(
            processors=[*shared, _console_renderer()],
            wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
            logger_factory=structlog.PrintLoggerFactory(sys.stderr),
            cache_logger_on_first_use=True,
        )
        foreign = _console_renderer()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                foreign,
            ],
            foreign_pre_chain=shared,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's own access log would duplicate ours, without the user or request id.
    logging.getLogger("uvicorn.access").disabled = True
