"""Which credential each route accepts (SPEC 16): the scope a personal API token needs there, or
a signed-in session only (tokens, sessions, password, two-factor, the account itself).

Every route that authenticates declares one in its `opt` (`opt=needs(Scope.TASKS_READ)`, or
`opt=SESSION_ONLY`), on the route or its controller; `create_app` refuses to build an app with a
route that does not, and the principal dependency checks the declaration on every request, so
no authenticated route can forget it.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers.base import BaseRouteHandler

from todo_api.domain.api_token import Scope

__all__ = ["SESSION_ONLY", "needs", "required_scope", "undeclared_routes"]

_KEY = "scope"
_SESSION = "session"
SESSION_ONLY: dict[str, object] = {_KEY: _SESSION}


def needs(scope: Scope) -> dict[str, object]:
    return {_KEY: scope}


def required_scope(handler: BaseRouteHandler) -> Scope | None:
    """The scope a token needs for this route; None: a session only. Raises LookupError for a
    route that declares neither."""
    declared = handler.opt.get(_KEY)
    if declared == _SESSION:
        return None
    if isinstance(declared, Scope):
        return declared
    raise LookupError(f"route {handler} declares no scope")


def undeclared_routes(app: Litestar) -> list[str]:
    """The authenticated routes of `app` that declare no scope."""
    missing = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if "principal" not in handler.resolve_dependencies():
                continue
            try:
                required_scope(handler)
            except LookupError:
                missing.append(f"{'/'.join(sorted(handler.http_methods))} {route.path}")
    return missing
