"""A unit of work over in-memory tables, with commit and rollback."""

from __future__ import annotations

import copy
from types import TracebackType
from typing import Self

from todo_api.adapters.memory.account_mail import (
    InMemoryMailOutbox,
    InMemoryOneTimeTokenRepository,
    InMemoryRecoveryCodes,
)
from todo_api.adapters.memory.api_tokens import InMemoryApiTokenRepository
from todo_api.adapters.memory.event_outbox import InMemoryEventOutbox
from todo_api.adapters.memory.reminders import InMemoryReminderSchedule
from todo_api.adapters.memory.repositories import (
    InMemoryIdempotencyRepository,
    InMemorySessionRepository,
    InMemoryTables,
    InMemoryUserRepository,
)
from todo_api.adapters.memory.tasks import InMemoryTagRepository, InMemoryTaskRepository
from todo_api.adapters.memory.webhooks import InMemoryWebhookQueue, InMemoryWebhookRepository
from todo_api.application.ports import UnitOfWork


class InMemoryStore:
    """The committed state that every InMemoryUnitOfWork over it shares."""

    def __init__(self) -> None:
        self.tables = InMemoryTables()


class InMemoryUnitOfWork(UnitOfWork):
    """Works on a private copy of the store and publishes it on commit.

    Like a database transaction, changes stay invisible to others until commit and vanish on
    rollback. Unlike one, concurrent units do not conflict: the last commit wins, which is enough
    for tests that do not race writers against each other.
    """

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self.committed = False

    async def __aenter__(self) -> Self:
        self._working = copy.deepcopy(self._store.tables)
        self.users = InMemoryUserRepository(self._working)
        self.sessions = InMemorySessionRepository(self._working)
        self.tasks = InMemoryTaskRepository(self._working)
        self.tags = InMemoryTagRepository(self._working)
        self.idempotency = InMemoryIdempotencyRepository(self._working)
        self.one_time_tokens = InMemoryOneTimeTokenRepository(self._working)
        self.mail = InMemoryMailOutbox(self._working)
        self.recovery_codes = InMemoryRecoveryCodes(self._working)
        self.events = InMemoryEventOutbox(self._working)
        self.webhooks = InMemoryWebhookRepository(self._working)
        self.webhook_queue = InMemoryWebhookQueue(self._working)
        self.reminders = InMemoryReminderSchedule(self._working)
        self.api_tokens = InMemoryApiTokenRepository(self._working)
        self.committed = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        del self._working

    async def commit(self) -> None:
        self._store.tables = copy.deepcopy(self._working)
        self.committed = True
