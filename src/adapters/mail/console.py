"""Mail written to the log instead of sent: the development default, when SMTP_URL is unset."""

from __future__ import annotations

import structlog

from todo_api.application.mail import Message
from todo_api.application.ports import Mailer

__all__ = ["ConsoleMailer"]

log = structlog.get_logger("todo_api.mail")


class ConsoleMailer(Mailer):
    """`show_body`: log the recipient and the text, links included, so a developer can follow
    them. Elsewhere the links are secrets and addresses personal: only the subject is logged,
    and that nothing was sent."""

    def __init__(self, *, show_body: bool) -> None:
        self._show_body = show_body

    async def send(self, message: Message) -> None:
        if self._show_body:
            log.info("mail", to=message.to, subject=message.subject, body=message.text)
        else:
            log.warning("mail_not_sent", subject=message.subject, reason="SMTP_URL is not set")
