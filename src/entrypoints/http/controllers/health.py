"""Liveness and readiness."""

from __future__ import annotations

import msgspec
import structlog
from litestar import Response, get
from litestar.datastructures import State

from todo_api.adapters.rate_limit.redis import RedisRateLimiter
from todo_api.application.errors import StorageUnavailable
from todo_api.entrypoints.http.dependencies import container_of
from todo_api.entrypoints.http.errors import RETRY_AFTER_UNAVAILABLE, ErrorBody, error_response
from todo_api.entrypoints.http.openapi import error_responses
from todo_api.entrypoints.migrations import pending_migration

log = structlog.get_logger("todo_api.health")


class HealthRead(msgspec.Struct):
    status: str


@get("/health", tags=["operations"], summary="Liveness: the process answers", sync_to_thread=False)
def health() -> HealthRead:
    return HealthRead(status="ok")


@get(
    "/health/ready",
    tags=["operations"],
    summary="Readiness: the database answers and is at the newest migration; Redis answers",
    responses=error_responses(503),
)
async def ready(state: State) -> Response[HealthRead] | Response[ErrorBody]:
    container = container_of(state)
    if state.get("shutting_down"):
        return _not_ready("The service is shutting down.")
    try:
        pending = await pending_migration(container.engine(), container.settings().db_schema)
    except Exception as error:
        log.warning("readiness_check_failed", error_type=type(error).__name__)
        return _not_ready("The database cannot be reached.")
    if pending:
        return _not_ready(f"The database is behind the newest migration ({pending}).")
    limiter = container.rate_limiter()
    if isinstance(limiter, RedisRateLimiter):
        try:
            await limiter.ping()
        except StorageUnavailable as error:
            # Logins and registrations need the shared counters: not ready without them.
            log.warning("readiness_check_failed", error_type="redis")
            return _not_ready(error.detail)
    return Response(HealthRead(status="ready"))


def _not_ready(detail: str) -> Response[ErrorBody]:
    return error_response(
        503, "SERVICE_UNAVAILABLE", detail, headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)}
    )
