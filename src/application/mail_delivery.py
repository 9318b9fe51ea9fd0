"""Delivering the mail outbox: each job becomes a message, its link token minted only now."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass

from todo_api.application.auth.one_time import LIFETIMES, TokenPurpose, mint
from todo_api.application.mail import MAX_ATTEMPTS, MailJob, MailKind, MailNotSent, Message
from todo_api.application.ports import Clock, Mailer, MailTemplates, UnitOfWork
from todo_api.domain.task import Task
from todo_api.domain.timezone import TimeZoneName
from todo_api.domain.user import User

__all__ = ["DeliverMail", "Delivery", "MailLinks", "spoken_due"]


class Delivery(enum.StrEnum):
    SENT = "sent"
    # Nothing to send: no account at a reset's address, an address verified meanwhile.
    DROPPED = "dropped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class MailLinks:
    """Where the links in messages point: the client app's pages, which post the token back."""

    base_url: str

    def to(self, page: str, token: str) -> str:
        return f"{self.page(page)}?token={token}"

    def page(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/{path}"


class DeliverMail:
    """Send what the outbox holds now. Several deliverers (workers, hosts) may run at once:
    each claims jobs no other holds. A job is retried with backoff until MAX_ATTEMPTS."""

    def __init__(
        self,
        uow: UnitOfWork,
        mailer: Mailer,
        templates: MailTemplates,
        clock: Clock,
        links: MailLinks,
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._templates = templates
        self._clock = clock
        self._links = links

    async def execute(self, limit: int = 20) -> Counter[Delivery]:
        """Deliver up to `limit` due jobs; count how each ended."""
        async with self._uow as uow:
            jobs = await uow.mail.claim(self._clock.now(), limit)
            await uow.commit()
        return Counter([await self._deliver(job) for job in jobs])

    async def _deliver(self, job: MailJob) -> Delivery:
        try:
            message = await self._compose(job)
            if message is not None:
                await self._mailer.send(message)
        except MailNotSent as error:
            async with self._uow as uow:
                await uow.mail.fail(job.id, str(error)[:500], give_up=job.attempts >= MAX_ATTEMPTS)
                await uow.commit()
            return Delivery.FAILED
        async with self._uow as uow:
            await uow.mail.finish(job.id)
            await uow.commit()
        return Delivery.SENT if message is not None else Delivery.DROPPED

    async def _compose(self, job: MailJob) -> Message | None:
        if job.kind is MailKind.EMAIL_CHANGE_NOTICE:
            new = job.new_address.value if job.new_address else ""
            return self._templates.render(job.kind, job.address, {"new_email": new})
        if job.kind is MailKind.TASK_REMINDER:
            return await self._reminder(job)
        now = self._clock.now()
        async with self._uow as uow:
            user = await self._recipient(uow, job)
            if user is None:
                return None
            purpose = _PURPOSES[job.kind]
            raw, token = mint(user.id, purpose, now, new_email=job.new_address)
            if purpose is not TokenPurpose.VERIFY_EMAIL:
                # Only the newest reset or email-change link works.
                await uow.one_time_tokens.discard(user.id, purpose)
            await uow.one_time_tokens.add(token)
            await uow.commit()
        to = job.new_address if job.kind is MailKind.CONFIRM_EMAIL_CHANGE else job.address
        assert to is not None
        values = {
            "link": self._links.to(_PAGES[job.kind], raw),
            "email": user.email.value,
            "new_email": job.new_address.value if job.new_address else "",
            "valid_for": _spoken(purpose),
        }
        return self._templates.render(job.kind, to, values)

    async def _reminder(self, job: MailJob) -> Message | None:
        """The reminder, unless its task was done or deleted, or the address changed or lost
        its verification, since it went off."""
        async with self._uow as uow:
            user = await uow.users.get(job.user_id) if job.user_id else None
            if user is None or not user.email_verified or user.email != job.address:
                return None
            task = await uow.tasks.get(user.id, job.task_id) if job.task_id else None
        if task is None or task.completed:
            return None
        values = {
            "title": str(task.title),
            "due": spoken_due(task, user.timezone),
            "link": self._links.page(f"tasks/{task.id}"),
        }
        return self._templates.render(job.kind, user.email, values)

    @staticmethod
    async def _recipient(uow: UnitOfWork, job: MailJob) -> User | None:
        if job.kind is MailKind.RESET_PASSWORD:
            return await uow.users.get_by_email(job.address)
        user = await uow.users.get(job.user_id) if job.user_id else None
        if user is None:
            return None
        if job.kind is MailKind.VERIFY_EMAIL and (user.email_verified or user.email != job.address):
            return None
        return user


_PURPOSES = {
    MailKind.VERIFY_EMAIL: TokenPurpose.VERIFY_EMAIL,
    MailKind.RESET_PASSWORD: TokenPurpose.RESET_PASSWORD,
    MailKind.CONFIRM_EMAIL_CHANGE: TokenPurpose.CONFIRM_EMAIL,
}
_PAGES = {
    MailKind.VERIFY_EMAIL: "verify-email",
    MailKind.RESET_PASSWORD: "reset-password",
    MailKind.CONFIRM_EMAIL_CHANGE: "confirm-email",
}


def spoken_due(task: Task, zone: TimeZoneName) -> str:
    """The due date as the owner reads it: in their zone, a day without a time when all-day."""
    if task.due_date is None:
        return ""
    local = task.due_date.astimezone(zone.zone)
    day = f"{local:%A} {local.day} {local:%B %Y}"
    return day if task.all_day else f"{day}, {local:%H:%M} ({zone})"


def _spoken(purpose: TokenPurpose) -> str:
    minutes = int(LIFETIMES[purpose].total_seconds() // 60)
    return f"{minutes // 60} hours" if minutes >= 120 else f"{minutes} minutes"
