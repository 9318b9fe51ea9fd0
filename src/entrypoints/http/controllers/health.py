"""Liveness and readiness."""

from __future__ import annotations

import msgspec
from litestar import Response, get
from litestar.datastructures import State

from entrypoints.http.dependencies import container_of
from entrypoints.http.errors import RETRY_AFTER_UNAVAILABLE, ErrorBody, error_response
from entrypoints.http.openapi import error_responses
from entrypoints.migrations import pending_migration


class HealthRead(msgspec.Struct):
    status: str


@get("/health", tags=["operations"], summary="Liveness: the process answers", sync_to_thread=False)
def health() -> HealthRead:
    return HealthRead(status="ok")


@get(
    "/health/ready",
    tags=["operations"],
    summary="Readiness: the database answers and is at the newest migration",
    responses=error_responses(503),
)
async def ready(state: State) -> Response[HealthRead] | Response[ErrorBody]:
    container = container_of(state)
    if state.get("shutting_down"):
        return _not_ready("The service is shutting down.")
    try:
        pending = await pending_migration(container.engine())
    except Exception:
        return _not_ready("The database cannot be reached.")
    if pending:
        return _not_ready(f"The database is behind the newest migration ({pending}).")
    return Response(HealthRead(status="ready"))


def _not_ready(detail: str) -> Response[ErrorBody]:
    return error_response(
        503, "SERVICE_UNAVAILABLE", detail, headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)}
    )
