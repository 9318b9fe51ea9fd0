"""Bodies sent to JSON endpoints must say they are JSON (415 otherwise)."""

from __future__ import annotations

from litestar import Request

from todo_api.entrypoints.http.errors import UnsupportedMediaType

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


async def require_json_bodies(request: Request) -> None:
    """A before-request hook: a body declared as another media type is refused with 415.

    Only handlers that take a JSON body (`data`) are concerned; a request without Content-Type
    is still read as JSON, as clients that omit it mean it. The login endpoint reads its own
    body (form or JSON) and is not concerned.
    """
    if request.method not in _WITH_BODY:
        return
    if "data" not in request.route_handler.parsed_fn_signature.parameters:
        return
    content_type = request.headers.get("content-type")
    if content_type is None:
        return
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType
