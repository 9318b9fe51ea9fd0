"""The Litestar application factory: a thin edge over the container's use cases."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

import structlog
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State

from todo_api.adapters.persistence.credential_notices import (
    NotifiedCredentialCache,
    listening_for_credentials,
)
from todo_api.adapters.persistence.notifications import libpq_url
from todo_api.entrypoints.container import Container, build_container, close_container
from todo_api.entrypoints.event_bell import EventBell, ringing
from todo_api.entrypoints.http.controllers.account import AccountController
from todo_api.entrypoints.http.controllers.api_tokens import ApiTokenController
from todo_api.entrypoints.http.controllers.auth import AuthController
from todo_api.entrypoints.http.controllers.events import event_stream
from todo_api.entrypoints.http.controllers.health import health, ready
from todo_api.entrypoints.http.controllers.tags import TagController
from todo_api.entrypoints.http.controllers.tasks import TaskController
from todo_api.entrypoints.http.controllers.webhooks import WebhookController
from todo_api.entrypoints.http.draining import on_drain
from todo_api.entrypoints.http.errors import EXCEPTION_HANDLERS
from todo_api.entrypoints.http.media_type import require_json_bodies
from todo_api.entrypoints.http.metrics import metrics
from todo_api.entrypoints.http.middleware import wrap
from todo_api.entrypoints.http.openapi import docs_assets_router, openapi_config
from todo_api.entrypoints.http.schemas.json_int import TYPE_DECODERS, BodyIdSchema
from todo_api.entrypoints.http.scopes import undeclared_routes
from todo_api.entrypoints.logging import configure_logging
from todo_api.entrypoints.mcp.http import mcp_endpoint, serving_mcp
from todo_api.entrypoints.migrations import pending_migration
from todo_api.entrypoints.settings import Settings, load_settings
from todo_api.entrypoints.worker import work_in_background

log = structlog.get_logger("todo_api")


def create_app(container: Container | None = None) -> Litestar:
    """Build the whole service; nothing connects until the first request or start-up."""
    if container is None:
        container = build_container(load_settings())
    settings: Settings = container.settings()
    configure_logging(settings.log_level, settings.effective_log_format)
    bell = EventBell()
    on_drain(bell.close)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await _warn_if_behind(container)
        try:
            async with contextlib.AsyncExitStack() as background:
                await background.enter_async_context(ringing(bell, settings.listen_url))
                cache = container.credential_cache()
                conninfo = libpq_url(settings.listen_url)
                if isinstance(cache, NotifiedCredentialCache) and conninfo is not None:
                    await background.enter_async_context(listening_for_credentials(cache, conninfo))
                await background.enter_async_context(serving_mcp(app, container, _version()))
                if settings.in_process_worker:
                    await background.enter_async_context(work_in_background(container, bell))
                # Everything built at start-up (modules, the app, the container) lives as long
                # as the process: out of the collector's way, full collections stay short.
                gc.collect()
                gc.freeze()
                yield
        finally:
            app.state.shutting_down = True
            bell.close()
            await close_container(container)

    app = Litestar(
        route_handlers=[
            AuthController,
            AccountController,
            ApiTokenController,
            TaskController,
            TagController,
            WebhookController,
            event_stream,
            mcp_endpoint,
            health,
            ready,
            metrics,
            docs_assets_router(),
        ],
        state=State({"container": container, "shutting_down": False, "event_bell": bell}),
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        cors_config=CORSConfig(
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Content-Type", "Authorization"],
            # Browser code may read these: when to retry, and which request to quote in a report.
            expose_headers=["Retry-After", "X-Request-ID"],
        ),
        openapi_config=openapi_config(_version()),
        type_decoders=TYPE_DECODERS,
        plugins=[BodyIdSchema()],
        request_max_body_size=settings.max_body_size,
        before_request=require_json_bodies,
        logging_config=None,
        debug=False,
    )
    if missing := undeclared_routes(app):
        raise RuntimeError(f"routes without a declared scope: {', '.join(missing)}")
    # Around the whole handler, so unknown routes and framework errors are logged and counted.
    app.asgi_handler = wrap(app.asgi_handler, request_timeout=settings.request_timeout)
    return app


async def _warn_if_behind(container: Container) -> None:
    try:
        pending = await pending_migration(container.engine(), container.settings().db_schema)
    except Exception as error:
        log.warning("database_unreachable_at_startup", error_type=type(error).__name__)
        return
    if pending:
        log.warning(
            "database_behind_migrations",
            newest=pending,
            hint="run `todo-api db upgrade`",
        )


def _version() -> str:
    try:
        return version("todo-api")
    except PackageNotFoundError:
        return "0.0.0"
