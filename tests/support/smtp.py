"""A real SMTP server for tests (aiosmtpd, in a thread): it keeps every message it accepts."""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted"

    async def wait_for(self, to: str, subject: str) -> EmailMessage:
        """The newest message to `to` whose subject holds `subject`, waiting up to 10 s for
        one (the sender may run on this event loop)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if message["To"] == to and subject in str(message["Subject"]):
                    return message
            await asyncio.sleep(0.05)
        raise AssertionError(f"no message to {to} about {subject!r}; got {self.summary()}")

    def summary(self) -> list[tuple[str, str]]:
        return [(str(m["To"]), str(m["Subject"])) for m in self.messages]


def link_token(message: EmailMessage, page: str) -> str:
    """The token of the message's link to `page`: the same in its text and its HTML part."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    (token,) = re.findall(rf"/{page}\?token=([\w-]+)", text.get_content())
    assert f"/{page}?token={token}" in html.get_content()
    return token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(
    port: int | None = None,
    *,
    tls: ssl.SSLContext | None = None,
    credentials: tuple[str, str] | None = None,
) -> Iterator[tuple[Inbox, int]]:
    """Serve SMTP on 127.0.0.1; with `tls`, STARTTLS is required before anything else, and
    with `credentials`, AUTH (over TLS) is required too."""
    inbox = Inbox()
    port = port or free_port()

    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and credentials is not None
            and (data.login.decode(), data.password.decode()) == credentials
        )
        if ok:
            inbox.logins.append(data.login.decode())
        # handled=False: aiosmtpd then answers 535 itself (otherwise the client waits).
        return AuthResult(success=ok, handled=False)

    options: dict[str, Any] = {}
    if tls is not None:
        options.update(tls_context=tls, require_starttls=True)
    if credentials is not None:
        options.update(authenticator=authenticate, auth_required=True, auth_require_tls=True)
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
