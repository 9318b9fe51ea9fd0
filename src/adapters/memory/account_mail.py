"""Single-use tokens and the mail outbox over the in-memory tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from todo_api.adapters.memory.repositories import InMemoryTables, QueuedMail, StoredToken
from todo_api.application.auth.one_time import OneTimeToken, TokenPurpose
from todo_api.application.mail import MailJob, MailKind, retry_delay
from todo_api.application.ports import MailOutbox, OneTimeTokenRepository, RecoveryCodeRepository
from todo_api.domain.email import Email
from todo_api.domain.ids import TaskId, UserId

__all__ = ["InMemoryMailOutbox", "InMemoryOneTimeTokenRepository", "InMemoryRecoveryCodes"]


class InMemoryOneTimeTokenRepository(OneTimeTokenRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def add(self, token: OneTimeToken) -> None:
        self._tables.one_time_tokens[token.digest] = StoredToken(token)

    async def find(self, digest: str, purpose: TokenPurpose, now: datetime) -> OneTimeToken | None:
        stored = self._tables.one_time_tokens.get(digest)
        if stored is None or stored.used_at is not None:
            return None
        if stored.token.purpose is not purpose or stored.token.expires_at <= now:
            return None
        return stored.token

    async def consume(
        self, digest: str, purpose: TokenPurpose, now: datetime
    ) -> OneTimeToken | None:
        token = await self.find(digest, purpose, now)
        if token is not None:
            self._tables.one_time_tokens[digest].used_at = now
        return token

    async def discard(self, user_id: UserId, purpose: TokenPurpose) -> None:
        self._tables.one_time_tokens = {
            digest: stored
            for digest, stored in self._tables.one_time_tokens.items()
            if not (
                stored.token.user_id == user_id
                and stored.token.purpose is purpose
                and stored.used_at is None
            )
        }


class InMemoryMailOutbox(MailOutbox):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def enqueue(
        self,
        kind: MailKind,
        address: Email,
        now: datetime,
        *,
        user_id: UserId | None = None,
        new_address: Email | None = None,
        task_id: TaskId | None = None,
    ) -> None:
        job_id = next(self._tables.mail_ids)
        job = MailJob(
            id=job_id,
            kind=kind,
            address=address,
            user_id=user_id,
            new_address=new_address,
            task_id=task_id,
        )
        self._tables.mail[job_id] = QueuedMail(job, next_attempt_at=now)

    async def claim(self, now: datetime, limit: int) -> list[MailJob]:
        due = sorted(
            (queued for queued in self._tables.mail.values() if _due(queued, now)),
            key=lambda queued: (queued.next_attempt_at, queued.job.id),
        )[:limit]
        for queued in due:
            queued.job = dataclasses.replace(queued.job, attempts=queued.job.attempts + 1)
            queued.next_attempt_at = now + retry_delay(queued.job.attempts)
        return [queued.job for queued in due]

    async def finish(self, job_id: int) -> None:
        self._tables.mail.pop(job_id, None)

    async def backlog(self, now: datetime) -> int:
        return sum(1 for queued in self._tables.mail.values() if _due(queued, now))

    async def fail(self, job_id: int, error: str, *, give_up: bool) -> None:
        queued = self._tables.mail.get(job_id)
        if queued is not None:
            queued.last_error = error
            if give_up:
                queued.next_attempt_at = None


class InMemoryRecoveryCodes(RecoveryCodeRepository):
    def __init__(self, tables: InMemoryTables) -> None:
        self._tables = tables

    async def replace(self, user_id: UserId, digests: Sequence[str]) -> None:
        kept = {code for code in self._tables.recovery_codes if code[0] != user_id}
        self._tables.recovery_codes = kept | {(user_id, digest) for digest in digests}

    async def consume(self, user_id: UserId, digest: str) -> bool:
        if (user_id, digest) not in self._tables.recovery_codes:
            return False
        self._tables.recovery_codes.discard((user_id, digest))
        return True


def _due(queued: QueuedMail, now: datetime) -> bool:
    return queued.next_attempt_at is not None and queued.next_attempt_at <= now
