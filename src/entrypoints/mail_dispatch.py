"""The mail outbox delivered in the background of a server process (ADR 0017).

Each server worker runs one loop; claims skip each other's jobs, so any number of workers and
hosts can run it. A loop that delivered a full batch goes on at once, otherwise it sleeps for
MAIL_POLL_SECONDS: a message leaves within that long of its commit.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog

from todo_api.application.errors import StorageUnavailable
from todo_api.application.mail_delivery import Delivery
from todo_api.entrypoints.container import Container

__all__ = ["BATCH", "delivering_mail"]

log = structlog.get_logger("todo_api.mail")

BATCH = 20


@contextlib.asynccontextmanager
async def delivering_mail(container: Container) -> AsyncIterator[None]:
    """Deliver mail in the background while the block runs; stop cleanly after it."""
    task = asyncio.create_task(_deliver_forever(container), name="mail-delivery")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _deliver_forever(container: Container) -> None:
    interval = container.settings().mail_poll_seconds
    while True:
        handled = 0
        try:
            outcome = await container.deliver_mail().execute(BATCH)
            handled = sum(outcome.values())
            if outcome[Delivery.FAILED]:
                log.warning("mail_delivery_failed", failed=outcome[Delivery.FAILED])
        except StorageUnavailable:
            log.warning("mail_delivery_paused", reason="database unavailable")
        except Exception:  # a bug must not end delivery for the process's lifetime
            log.exception("mail_delivery_error")
        if handled < BATCH:
            await asyncio.sleep(interval)
