"""Sending mail over SMTP with aiosmtplib: STARTTLS or implicit TLS, certificates verified."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from todo_api.application.mail import MailNotSent, Message
from todo_api.application.ports import Mailer

__all__ = ["SmtpMailer", "SmtpServer"]


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to send: parsed from SMTP_URL.

    `smtp://user:pass@host:587` speaks STARTTLS and refuses a server without it;
    `smtps://host:465` is TLS from the first byte; `smtp://host:1025?tls=off` sends in clear,
    for a relay on the same host or a development catcher.
    """

    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    implicit_tls: bool = False
    start_tls: bool = True

    @classmethod
    def parse(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("expected smtp://user:pass@host:587 or smtps://user:pass@host:465")
        query = parse_qs(parts.query)
        tls = query.get("tls", ["on"])[-1]
        if tls not in ("on", "off"):
            raise ValueError("tls= is on (the default) or off")
        implicit = parts.scheme == "smtps"
        if implicit and tls == "off":
            raise ValueError("smtps:// is TLS itself; use smtp://...?tls=off for clear text")
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 587),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit,
            start_tls=not implicit and tls == "on",
        )


class SmtpMailer(Mailer):
    def __init__(
        self,
        server: SmtpServer,
        sender: str,
        *,
        ca_file: str | None = None,
        timeout: float = 15.0,
    ) -> None:
        self._server = server
        self._sender = sender
        self._timeout = timeout
        # The system's CAs, or a private CA (SMTP_CA_FILE) for a relay with its own.
        self._tls = ssl.create_default_context(cafile=ca_file)

    async def send(self, message: Message) -> None:
        server = self._server
        try:
            await aiosmtplib.send(
                _email(message, self._sender),
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.implicit_tls,
                start_tls=server.start_tls,
                tls_context=self._tls if server.implicit_tls or server.start_tls else None,
                timeout=self._timeout,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise MailNotSent(f"{type(error).__name__}: {error}") from error


def _email(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> "))
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email
