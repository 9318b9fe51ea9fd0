"""A login session: the server-side record behind a refresh token family."""

from __future__ import annotations

import enum
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from todo_api.domain.ids import SessionId, UserId

__all__ = ["MAX_USER_AGENT_LENGTH", "RefreshVerdict", "Session", "new_refresh_id"]

MAX_USER_AGENT_LENGTH = 255


class RefreshVerdict(enum.Enum):
    """What presenting a refresh token id to its session means."""

    CURRENT = "current"
    JUST_ROTATED = "just_rotated"
    REUSED = "reused"
    DEAD = "dead"


@dataclass(slots=True, kw_only=True)
class Session:
    id: SessionId
    user_id: UserId
    refresh_jti: str
    previous_jti: str | None
    rotated_at: datetime | None
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    user_agent: str | None

    @classmethod
    def start(
        cls,
        *,
        user_id: UserId,
        lifetime: timedelta,
        user_agent: str | None,
        now: datetime,
    ) -> Session:
        return cls(
            id=SessionId(uuid.uuid4()),
            user_id=user_id,
            refresh_jti=new_refresh_id(),
            previous_jti=None,
            rotated_at=None,
            created_at=now,
            last_used_at=now,
            expires_at=now + lifetime,
            revoked_at=None,
            user_agent=_clip_user_agent(user_agent),
        )

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    def judge_refresh(self, jti: str, now: datetime, grace: timedelta) -> RefreshVerdict:
        """Classify a presented refresh token id.

        The token rotated away within the grace window is a client racing itself (two tabs
        refreshing at once), not theft; any older token of the family signals theft.
        """
        if not self.is_live(now):
            return RefreshVerdict.DEAD
        if jti == self.refresh_jti:
            return RefreshVerdict.CURRENT
        if (
            jti == self.previous_jti
            and self.rotated_at is not None
            and now - self.rotated_at <= grace
        ):
            return RefreshVerdict.JUST_ROTATED
        return RefreshVerdict.REUSED

    def rotate(self, lifetime: timedelta, now: datetime) -> None:
        """Replace the current refresh token id; the old one stays known for reuse detection."""
        self.previous_jti = self.refresh_jti
        self.refresh_jti = new_refresh_id()
        self.rotated_at = now
        self.last_used_at = now
        self.expires_at = now + lifetime

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now


def new_refresh_id() -> str:
    return secrets.token_urlsafe(24)


def _clip_user_agent(user_agent: str | None) -> str | None:
    if not user_agent:
        return None
    return user_agent.replace("\x00", "")[:MAX_USER_AGENT_LENGTH]
