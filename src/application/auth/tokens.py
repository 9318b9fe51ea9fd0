"""The pair of tokens a login or a refresh hands out."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.ports import IssuedToken

__all__ = ["TokenPair"]


@dataclass(frozen=True, slots=True)
class TokenPair:
    """An access and a refresh token; after a login also a device token for the client to keep
    (it lets this client log in to the account while others' failures exhaust its budget)."""

    access: IssuedToken
    refresh: IssuedToken
    device: IssuedToken | None = None
