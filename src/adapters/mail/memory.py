"""Mail kept in a list: for tests of code that uses todo-api."""

from __future__ import annotations

from todo_api.application.mail import MailNotSent, Message
from todo_api.application.ports import Mailer

__all__ = ["InMemoryMailer"]


class InMemoryMailer(Mailer):
    def __init__(self) -> None:
        self.sent: list[Message] = []
        # Set to make every send fail, as an unreachable server would.
        self.down = False

    async def send(self, message: Message) -> None:
        if self.down:
            raise MailNotSent("the in-memory mailer is down")
        self.sent.append(message)
