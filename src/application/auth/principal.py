"""Who is calling: the result of checking an access token."""

from __future__ import annotations

from dataclasses import dataclass

from domain.ids import SessionId, UserId


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: UserId
    session_id: SessionId
