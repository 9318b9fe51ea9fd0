"""The OpenAPI document: security scheme, documented error responses, offline-capable UI."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from typing import Any

from litestar import Router
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import RedocRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    OAuthFlow,
    OAuthFlows,
    OpenAPIResponse,
    Operation,
    SecurityScheme,
)
from litestar.router import Router as StaticRouter
from litestar.static_files import create_static_files_router

from todo_api.entrypoints.http.errors import ErrorBody

TOKEN_URL = "/api/v1/auth/login"  # noqa: S105 - a URL, not a secret
DOCS_ASSETS = "/docs-assets"

_DESCRIPTIONS = {
    400: "The input breaks a rule; `code` says which.",
    401: "Missing, invalid or expired credentials (`WWW-Authenticate: Bearer`).",
    403: "Refused (cross-site request).",
    404: "No such resource.",
    410: "The sync token is older than the deletions kept: sync again from an empty since.",
    412: "If-Match named another version; `version` is the current one (also in `ETag`).",
    415: "Unsupported media type.",
    422: "Malformed request: missing or ill-typed field, malformed JSON.",
    429: "Rate limit exceeded; see `Retry-After`.",
    503: "Database unreachable; see `Retry-After`.",
}


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """Document the contract error body for each status."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody, description=_DESCRIPTIONS[status], generate_examples=False
        )
        for status in statuses
    }


class _DocsRouter(Router):
    """Serves /docs, /redoc and /openapi.json at the root.

    Litestar adds a catch-all HTML 404 handler under the docs path; at the root it would answer
    every unknown path with HTML (and unknown POSTs with 405), so it is left out and unknown paths
    get the contract's JSON 404.
    """

    def register(self, value: Any) -> Any:
        if "/{path:str}" in getattr(value, "paths", ()):
            return []
        # The pages and the document itself are not operations of the API.
        if hasattr(value, "include_in_schema"):
            value.include_in_schema = False
        return super().register(value)


# Vendored distribution builds with their licences (docs_assets/README.md).
_ASSETS = Path(__file__).parent / "docs_assets"


def docs_assets_router() -> StaticRouter:
    """Swagger UI and ReDoc, served by the service itself: /docs works without a CDN."""
    return create_static_files_router(
        path=DOCS_ASSETS, directories=[_ASSETS], include_in_schema=False
    )


_NO_FAVICON = "<link rel='icon' href='data:,'>"


def openapi_config(version: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="todo-api",
        version=version,
        description="Personal task management: accounts, tokens, tasks and tags.",
        openapi_router=_DocsRouter("/", route_handlers=[]),
        render_plugins=[
            SwaggerRenderPlugin(
                path="/docs",
                js_url=f"{DOCS_ASSETS}/swagger-ui/swagger-ui-bundle.js",
                css_url=f"{DOCS_ASSETS}/swagger-ui/swagger-ui.css",
                standalone_preset_js_url=f"{DOCS_ASSETS}/swagger-ui/swagger-ui-standalone-preset.js",
                favicon=_NO_FAVICON,
            ),
            RedocRenderPlugin(
                path="/redoc",
                js_url=f"{DOCS_ASSETS}/redoc/redoc.standalone.js",
                google_fonts=False,
                favicon=_NO_FAVICON,
            ),
        ],
        components=Components(
            security_schemes={
                "OAuth2PasswordBearer": SecurityScheme(
                    type="oauth2",
                    flows=OAuthFlows(password=OAuthFlow(token_url=TOKEN_URL, scopes={})),
                    description="Log in with email as username; the access token is a JWT.",
                )
            }
        ),
        use_handler_docstrings=True,
    )


BEARER: list[dict[str, list[str]]] = [{"OAuth2PasswordBearer": []}]


# What Litestar names its own 400 for a ValidationException, documented on every operation with
# parameters; this service answers malformed input with a 422 in the contract's shape instead.
_FRAMEWORK_400 = HTTPStatus.BAD_REQUEST.description


class ContractOperation(Operation):
    """An operation documented with the contract's error responses only (handlers with
    parameters declare `operation_class=ContractOperation`)."""

    # Operation is a dataclass without __post_init__, so its generated __init__ calls none:
    # the adjustment runs after it here.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        framework = (self.responses or {}).get("400")
        if isinstance(framework, OpenAPIResponse) and framework.description == _FRAMEWORK_400:
            del self.responses["400"]  # type: ignore[union-attr]
