"""TOTP codes with pyotp: 6 digits, 30-second steps, one step of clock drift allowed."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

from todo_api.application.ports import OneTimePasswords

__all__ = ["PyotpPasswords"]


class PyotpPasswords(OneTimePasswords):
    def __init__(self, issuer: str = "todo-api") -> None:
        self._issuer = issuer

    def new_secret(self) -> str:
        return pyotp.random_base32()

    def uri(self, secret: str, account: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=self._issuer)

    def step_of(self, secret: str, code: str, now: datetime) -> int | None:
        # The code stays a string: int() would drop its leading zeros.
        if len(code) != 6 or not code.isdigit():
            return None
        totp = pyotp.TOTP(secret)
        step = totp.timecode(now)
        for candidate in (step, step - 1, step + 1):
            if hmac.compare_digest(totp.generate_otp(candidate), code):
                return candidate
        return None
