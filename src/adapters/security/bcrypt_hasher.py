"""Password hashing with bcrypt, in a bounded thread pool off the event loop."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import bcrypt

from todo_api.application.errors import Overloaded
from todo_api.application.ports import PasswordHasher
from todo_api.domain.password import normalised

# bcrypt reads at most 72 bytes (and bcrypt 5 raises past that), so the password is first reduced
# to a fixed 44-byte digest: every character counts and none is silently dropped (ADR 0004).
# The key is a public domain separator, not a secret.
_R = TypeVar("_R")

_PREHASH_KEY = b"todo-api/bcrypt-prehash/v1"


def _prehash(password: str) -> bytes:
    encoded = normalised(password).encode("utf-8", "surrogatepass")
    digest = hmac.new(_PREHASH_KEY, encoded, hashlib.sha256)
    return base64.b64encode(digest.digest())


def _yield_to_requests() -> None:
    # Hashing threads run at a lower CPU priority than the event loop, so a flood of logins
    # takes the cores that requests leave idle instead of starving every other request.
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class BcryptPasswordHasher(PasswordHasher):
    """bcrypt at a configurable cost, with a bounded queue.

    Hashing takes hundreds of milliseconds of CPU at cost 12 but releases the GIL, so a pool of
    one thread per core uses every core without starving the event loop. At most `max_pending`
    hashes wait or run at once; beyond that a request is refused at once with Overloaded (503)
    rather than queued for seconds behind a flood of password requests.
    """

    def __init__(
        self, rounds: int = 12, max_workers: int | None = None, max_pending: int = 32
    ) -> None:
        self._rounds = rounds
        self._max_pending = max_pending
        self._pending = 0
        self._pool = ThreadPoolExecutor(
            max_workers=max_workers or os.cpu_count() or 1,
            thread_name_prefix="bcrypt",
            initializer=_yield_to_requests,
        )
        self._dummy_hash: bytes | None = None

    async def hash(self, password: str) -> str:
        hashed = await self._run(self._hash_sync, password)
        return hashed.decode("ascii")

    async def verify(self, password: str, password_hash: str | None) -> bool:
        if password_hash is None:
            # Unknown account: pay the same cost as a real check so timing reveals nothing.
            if self._dummy_hash is None:
                self._dummy_hash = await self._run(self._hash_sync, "not-a-password")
            await self._run(self._verify_sync, password, self._dummy_hash)
            return False
        return await self._run(self._verify_sync, password, password_hash.encode("ascii"))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _hash_sync(self, password: str) -> bytes:
        return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(self._rounds))

    @staticmethod
    def _verify_sync(password: str, password_hash: bytes) -> bool:
        try:
            return bcrypt.checkpw(_prehash(password), password_hash)
        except ValueError:
            return False

    async def _run(self, func: Callable[..., _R], *args: object) -> _R:
        if self._pending >= self._max_pending:
            raise Overloaded("Too many password checks are waiting; try again shortly.")
        self._pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, func, *args)
        finally:
            self._pending -= 1
