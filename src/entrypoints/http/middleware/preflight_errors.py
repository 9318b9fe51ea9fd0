"""A refused CORS preflight answers in the contract's error shape, not the framework's text."""

from __future__ import annotations

import msgspec
from litestar.types import HTTPScope, Message, Receive, Send

from todo_api.entrypoints.http.errors import ErrorBody
from todo_api.entrypoints.http.middleware.base import HttpMiddleware

_STATUS = 403
_BODY = msgspec.json.encode(
    ErrorBody(
        detail="Cross-origin request refused: the origin, method or headers are not allowed.",
        code="CORS_REJECTED",
    )
)


class PreflightErrorMiddleware(HttpMiddleware):
    """Rewrites the CORS layer's 400 text answer to a preflight into a 403 JSON error."""

    async def handle(self, scope: HTTPScope, receive: Receive, send: Send) -> None:
        if scope["method"] != "OPTIONS" or not any(
            name == b"access-control-request-method" for name, _ in scope["headers"]
        ):
            await self.app(scope, receive, send)
            return
        refused = False

        async def send_in_contract_shape(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start" and message["status"] == 400:
                refused = True
                message = {
                    "type": "http.response.start",
                    "status": _STATUS,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(_BODY)).encode()),
                    ],
                }
            elif message["type"] == "http.response.body" and refused:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": _BODY, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_in_contract_shape)
