"""The background worker (SPEC 15): reminders, account mail, webhook deliveries, forgetting old
events.

`todo-api worker` runs it as a process of its own; with IN_PROCESS_WORKER (the default) each
server worker runs it too, which is what a single-host SQLite or development setup needs. Any
number of them share the work: every claim skips what another holds (ADR 0017, ADR 0018). A
loop that had a full batch goes on at once, otherwise it waits WORKER_POLL_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator

import structlog

from todo_api.application.errors import StorageUnavailable
from todo_api.application.mail_delivery import Delivery
from todo_api.application.webhooks.delivery import DeliveryRound
from todo_api.entrypoints.container import Container, build_container, close_container
from todo_api.entrypoints.event_bell import EventBell, ringing
from todo_api.entrypoints.settings import Settings
from todo_api.entrypoints.worker_monitor import WorkerMonitor, serving

__all__ = ["BATCH", "run_worker", "work_in_background", "work_until"]

log = structlog.get_logger("todo_api.worker")

BATCH = 20
# Webhook deliveries a round claims: they are sent concurrently and settled in one
# transaction, so a bigger round spreads the round's fixed transactions over more events.
WEBHOOK_BATCH = 100
# Reminders are fired this many to a transaction: firing one is a few small writes.
REMINDER_BATCH = 100
# Old events and deletion records are forgotten this often (each worker; deleting is
# idempotent).
PURGE_EVERY_SECONDS = 600.0


@contextlib.asynccontextmanager
async def work_in_background(
    container: Container, bell: EventBell | None = None
) -> AsyncIterator[None]:
    """Run the worker loop beside the block (the server's lifespan); stop it after."""
    stop = asyncio.Event()
    task = asyncio.create_task(work_until(container, stop, bell=bell), name="worker")
    try:
        yield
    finally:
        stop.set()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def work_until(
    container: Container,
    stop: asyncio.Event,
    monitor: WorkerMonitor | None = None,
    bell: EventBell | None = None,
) -> None:
    """Work rounds until `stop`; between idle rounds wait WORKER_POLL_SECONDS, or with a
    listening `bell` until the next event commits (webhook deliveries leave at once)."""
    interval = container.settings().worker_poll_seconds
    next_purge = 0.0
    while not stop.is_set():
        if time.monotonic() >= next_purge:
            await _purge(container)
            next_purge = time.monotonic() + PURGE_EVERY_SECONDS
        mark = bell.rings if bell is not None else 0
        busy = await _one_round(container, monitor)
        if busy:
            continue
        if bell is not None and bell.listening:
            await bell.wait_for_anyone(interval, since=mark)
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)


async def _one_round(container: Container, monitor: WorkerMonitor | None) -> bool:
    """Deliver what is due; whether a batch was full (more may be waiting)."""
    try:
        # First, so the events and mail of the reminders fired go out in this round.
        reminders = await container.fire_reminders().execute(REMINDER_BATCH)
        mail = await container.deliver_mail().execute(BATCH)
        if mail[Delivery.FAILED]:
            log.warning("mail_delivery_failed", failed=mail[Delivery.FAILED])
        hooks = await container.deliver_webhooks().execute(WEBHOOK_BATCH)
        if hooks["retrying"] or hooks["failed"]:
            log.warning(
                "webhook_delivery_failed", retrying=hooks["retrying"], failed=hooks["failed"]
            )
        if monitor is not None:
            _record(monitor, mail, hooks)
            monitor.deliveries.labels("reminder", "fired").inc(reminders)
            monitor.round_done(await container.measure_backlog().execute())
    except StorageUnavailable:
        log.warning("worker_paused", reason="database unavailable")
        return False
    except Exception:  # a bug must not end delivery for the process's lifetime
        log.exception("worker_error")
        return False
    attempts = sum(hooks[k] for k in ("delivered", "retrying", "failed"))
    return (
        reminders >= REMINDER_BATCH
        or sum(mail.values()) >= BATCH
        or max(hooks["fanned_out"], attempts) >= WEBHOOK_BATCH
    )


def _record(monitor: WorkerMonitor, mail: Counter[Delivery], hooks: DeliveryRound) -> None:
    for delivery, count in mail.items():
        monitor.deliveries.labels("mail", delivery.value).inc(count)
    for outcome in ("delivered", "retrying", "failed"):
        if hooks[outcome]:
            monitor.deliveries.labels("webhook", outcome).inc(hooks[outcome])
    for seconds in hooks.latencies:
        monitor.latency.observe(seconds)


async def _purge(container: Container) -> None:
    try:
        await container.forget_old_deletions().execute()
        purged = await container.purge_events().execute()
    except StorageUnavailable:
        return
    except Exception:
        log.exception("worker_error")
        return
    if purged:
        log.info("events_purged", count=purged)


def run_worker(settings: Settings, port: int | None = None, host: str = "127.0.0.1") -> int:
    """`todo-api worker`: work until SIGTERM or SIGINT, finishing the round in progress; with
    `port`, serve /health and /metrics there."""

    async def main() -> None:
        container = build_container(settings)
        stop = asyncio.Event()
        bell = EventBell()

        def stopping() -> None:
            stop.set()
            bell.close()

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping)
        monitor = WorkerMonitor(settings.worker_poll_seconds)
        log.info("worker_started", poll_seconds=settings.worker_poll_seconds, port=port)
        try:
            async with contextlib.AsyncExitStack() as stack:
                if port is not None:
                    await stack.enter_async_context(serving(monitor, host, port))
                # On Postgres, a committed event wakes the worker (LISTEN, as event streams do).
                await stack.enter_async_context(ringing(bell, settings.listen_url))
                await work_until(container, stop, monitor, bell)
        finally:
            await close_container(container)
            log.info("worker_stopped")

    asyncio.run(main())
    return 0
