"""Headers every response carries, errors and the deadline's 503 included."""

from __future__ import annotations

from litestar.types import HTTPScope, Message, Receive, Send

from todo_api.entrypoints.http.middleware.base import HttpMiddleware

_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY")]
# The documentation pages run Swagger UI and ReDoc from /docs-assets; their bootstrap scripts and
# styles are inline, and ReDoc starts a worker from a blob.
_DOCS_CSP = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    b" img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:;"
    b" connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_DOCS_PAGES = frozenset({"/docs", "/redoc"})


class SecurityHeadersMiddleware(HttpMiddleware):
    async def handle(self, scope: HTTPScope, receive: Receive, send: Send) -> None:

        extra = list(_HEADERS)
        if scope["path"].rstrip("/") in _DOCS_PAGES:
            extra.append((b"content-security-policy", _DOCS_CSP))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
