"""Settings the account use cases are built with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from todo_api.application.rates import Rate

__all__ = ["SessionPolicy"]


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    refresh_lifetime: timedelta
    # A refresh token rotated away this recently is a client racing itself, not theft.
    rotation_grace: timedelta = timedelta(seconds=5)
    failed_logins_per_account: Rate = Rate(20, 3600)  # noqa: RUF009 - Rate is frozen
    # Logging in needs a verified address (REQUIRE_VERIFIED_EMAIL).
    require_verified_email: bool = False
