"""Who is calling: the result of checking an access token."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.domain.ids import SessionId, UserId
from todo_api.domain.user import User

__all__ = ["Principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated user as read with their session, and the session's id."""

    user: User
    session_id: SessionId

    @property
    def user_id(self) -> UserId:
        return self.user.id
