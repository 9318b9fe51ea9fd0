"""Who is calling: the result of checking an access token or a personal API token."""

from __future__ import annotations

from dataclasses import dataclass

from todo_api.application.errors import InsufficientScope
from todo_api.domain.api_token import Scope
from todo_api.domain.ids import SessionId, UserId
from todo_api.domain.user import User

__all__ = ["Principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated user as read with their credential: a session (every scope), or a
    personal API token limited to its `scopes`."""

    user: User
    session_id: SessionId | None
    # None: a signed-in session, which may do everything.
    scopes: frozenset[Scope] | None = None
    token_id: int | None = None

    @property
    def user_id(self) -> UserId:
        return self.user.id

    @property
    def session(self) -> SessionId:
        """The caller's session; raises InsufficientScope for an API token."""
        if self.session_id is None:
            raise InsufficientScope(_SESSION_ONLY)
        return self.session_id

    def require(self, scope: Scope | None) -> None:
        """Refuse an API token without `scope`; None: only a signed-in session may (tokens,
        sessions, password, two-factor, the account itself). Raises InsufficientScope."""
        if self.scopes is None:
            return
        if scope is None:
            raise InsufficientScope(_SESSION_ONLY)
        if scope not in self.scopes:
            raise InsufficientScope(f"This needs an API token with the {scope} scope.")


_SESSION_ONLY = "This needs a signed-in session: API tokens cannot use it."
