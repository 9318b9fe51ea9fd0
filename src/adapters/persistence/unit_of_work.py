"""A unit of work over one pooled connection and its transaction."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from todo_api.adapters.persistence.api_tokens import SqlAlchemyApiTokenRepository
from todo_api.adapters.persistence.checkout_turns import CheckoutTurns
from todo_api.adapters.persistence.connection_loss import (
    is_connection_loss,
    is_missing_schema,
    translating_connection_loss,
)
from todo_api.adapters.persistence.credential_notices import NotifiedCredentialCache
from todo_api.adapters.persistence.event_outbox import SqlAlchemyEventOutbox
from todo_api.adapters.persistence.idempotency import SqlAlchemyIdempotencyRepository
from todo_api.adapters.persistence.mail_outbox import SqlAlchemyMailOutbox
from todo_api.adapters.persistence.one_time_tokens import SqlAlchemyOneTimeTokenRepository
from todo_api.adapters.persistence.recovery_codes import SqlAlchemyRecoveryCodes
from todo_api.adapters.persistence.reminders import SqlAlchemyReminderSchedule
from todo_api.adapters.persistence.sessions import SqlAlchemySessionRepository
from todo_api.adapters.persistence.tags import SqlAlchemyTagRepository
from todo_api.adapters.persistence.tasks import SqlAlchemyTaskRepository
from todo_api.adapters.persistence.users import SqlAlchemyUserRepository
from todo_api.adapters.persistence.webhooks import (
    SqlAlchemyWebhookQueue,
    SqlAlchemyWebhookRepository,
)
from todo_api.application.errors import SchemaMissing, StorageUnavailable
from todo_api.application.ports import UnitOfWork


class SqlAlchemyUnitOfWork(UnitOfWork):
    """Borrows a connection for the span of `async with`; leaving without commit rolls back.

    It runs SQLAlchemy Core on an AsyncConnection rather than an ORM session: the repositories map
    rows to domain objects themselves, and ORM hydration would cost several times a hot query
    (ADR 0003).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        read_only: bool = False,
        turns: CheckoutTurns | None = None,
        credentials: NotifiedCredentialCache | None = None,
    ) -> None:
        # A read-only unit is given an autocommit engine (`autocommit_engine`): each SELECT runs
        # on its own, without the BEGIN and ROLLBACK round trips around it, and commit refuses.
        self._engine = engine
        self._read_only = read_only
        self._turns = turns
        # This process's cache hears the credential changes of a commit at once (see
        # credential_changes.py); the other processes hear them from Postgres.
        self._credentials = credentials
        self._changes: list[str] = []
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        if self._turns is not None:
            await self._turns.take()
        try:
            with translating_connection_loss():
                self._connection = await self._engine.connect()
        except BaseException:
            self._give_back_turn()
            raise
        self._changes = []
        changed = self._changes.append
        self.users = SqlAlchemyUserRepository(self._connection, changed)
        self.sessions = SqlAlchemySessionRepository(self._connection, changed)
        self.tasks = SqlAlchemyTaskRepository(self._connection)
        self.tags = SqlAlchemyTagRepository(self._connection)
        self.idempotency = SqlAlchemyIdempotencyRepository(self._connection)
        self.one_time_tokens = SqlAlchemyOneTimeTokenRepository(self._connection)
        self.mail = SqlAlchemyMailOutbox(self._connection)
        self.recovery_codes = SqlAlchemyRecoveryCodes(self._connection)
        self.events = SqlAlchemyEventOutbox(self._connection)
        self.webhooks = SqlAlchemyWebhookRepository(self._connection)
        self.webhook_queue = SqlAlchemyWebhookQueue(self._connection)
        self.reminders = SqlAlchemyReminderSchedule(self._connection)
        self.api_tokens = SqlAlchemyApiTokenRepository(self._connection, changed)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await self._close(connection, exc_type, exc)
        finally:
            self._give_back_turn()

    def _give_back_turn(self) -> None:
        if self._turns is not None:
            self._turns.give_back()

    async def _close(
        self,
        connection: AsyncConnection,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
    ) -> None:
        with translating_connection_loss():
            if exc_type is not None and issubclass(exc_type, asyncio.CancelledError | TimeoutError):
                # Cancelled mid-statement (the request deadline, a frozen server): the
                # connection's state is unknown and a rollback could hang as long as the query
                # did. Drop it; the pool opens a fresh one when needed.
                await connection.invalidate()
            else:
                try:
                    if connection.in_transaction():
                        await connection.rollback()
                finally:
                    await connection.close()
            if exc is not None and is_missing_schema(exc):
                raise SchemaMissing from exc
            if exc is not None and is_connection_loss(exc):
                # Raised from here, it replaces the driver's error for the use case's caller.
                raise StorageUnavailable from exc

    async def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit outside `async with`")
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        with translating_connection_loss():
            await self._connection.commit()
        changes, self._changes = self._changes, []
        if self._credentials is not None:
            for notice in changes:
                self._credentials.hear(notice)
