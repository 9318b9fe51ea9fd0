"""Fast stand-ins for the password hasher and blocklist, for tests."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence

from todo_api.application.ports import PasswordBlocklist, PasswordHasher
from todo_api.domain.password import normalised


class FakePasswordHasher(PasswordHasher):
    """A salt-free SHA-256 'hash' that counts verifications, so tests can assert timing safety."""

    def __init__(self) -> None:
        self.verifications = 0

    async def hash(self, password: str) -> str:
        return "fake$" + hashlib.sha256(normalised(password).encode()).hexdigest()

    async def verify(self, password: str, password_hash: str | None) -> bool:
        self.verifications += 1
        expected = await self.hash(password)
        return password_hash is not None and hmac.compare_digest(expected, password_hash)


class InMemoryPasswordBlocklist(PasswordBlocklist):
    def __init__(self, passwords: Iterable[str] = ("password123", "qwertyuiop")) -> None:
        self._passwords = {p.lower() for p in passwords}

    def is_common(self, password: str, user_inputs: Sequence[str] = ()) -> bool:
        lowered = password.lower()
        return lowered in self._passwords or lowered in {i.lower() for i in user_inputs}
