"""Reading the status of the response an ASGI app sends."""

from __future__ import annotations

from litestar.types import Message, Send


class StatusRecorder:
    """An ASGI `send` that remembers the response status on its way through (500 until sent)."""

    __slots__ = ("send", "status")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 500

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self.send(message)
