"""The account messages, from Jinja2 templates: plain text and HTML (escaped) per kind."""

from __future__ import annotations

from pathlib import Path

import jinja2

from todo_api.application.mail import MailKind, Message
from todo_api.application.ports import MailTemplates
from todo_api.domain.email import Email

__all__ = ["JinjaMailTemplates"]

_SUBJECTS = {
    MailKind.VERIFY_EMAIL: "Confirm your email address",
    MailKind.RESET_PASSWORD: "Reset your password",
    MailKind.CONFIRM_EMAIL_CHANGE: "Confirm your new email address",
    MailKind.EMAIL_CHANGE_NOTICE: "Your account's email address is changing",
    MailKind.TASK_REMINDER: "Reminder: {title}",
}


class JinjaMailTemplates(MailTemplates):
    def __init__(self, product: str = "todo-api") -> None:
        self._product = product
        self._environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(Path(__file__).parent / "messages"),
            autoescape=jinja2.select_autoescape(["html"]),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )

    def render(self, kind: MailKind, to: Email, values: dict[str, str]) -> Message:
        context = {**values, "product": self._product, "to": to.value}
        return Message(
            to=to.value,
            subject=f"{self._product}: {_subject(kind, values)}",
            text=self._environment.get_template(f"{kind.value}.txt").render(context),
            html=self._environment.get_template(f"{kind.value}.html").render(context),
        )


def _subject(kind: MailKind, values: dict[str, str]) -> str:
    # A header holds one line: a title's line breaks and runs of spaces become one space.
    return " ".join(_SUBJECTS[kind].format(**values).split())
