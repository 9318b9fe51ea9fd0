"""The pair of tokens a login or a refresh hands out."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.ports import IssuedToken

__all__ = ["TokenPair"]


@dataclass(frozen=True, slots=True)
class TokenPair:
    access: IssuedToken
    refresh: IssuedToken
