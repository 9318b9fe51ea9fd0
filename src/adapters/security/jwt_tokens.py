"""Access and refresh tokens as HS256 JWTs."""

from __future__ import annotations

import base64
import binascii
import functools
import math
import secrets
import uuid
from datetime import timedelta
from typing import Any

import jwt

from todo_api.application.errors import InvalidToken, InvalidTokenType, TokenExpired
from todo_api.application.ports import (
    AccessClaims,
    Clock,
    DeviceClaims,
    IssuedToken,
    RefreshClaims,
    TokenService,
)
from todo_api.domain.ids import SessionId, UserId
from todo_api.domain.session import Session
from todo_api.domain.user import User

_ALGORITHM = "HS256"
_COMMON_CLAIMS = ["sub", "iat", "exp", "type", "jti", "sid"]
_DEVICE_CLAIMS = ["sub", "iat", "exp", "type", "jti"]
# A device that logged in keeps its standing for half a year after its last successful login.
DEVICE_TTL = 180 * 24 * 3600
# Between a right password and the second factor of an account with MFA.
MFA_TTL = 300


class JwtTokenService(TokenService):
    """Signs and verifies tokens with one pinned algorithm and every claim required."""

    def __init__(self, secret: str, clock: Clock, *, access_ttl: int = 900) -> None:
        self._secret = secret
        self._clock = clock
        self._access_ttl = access_ttl

    def issue_access(self, user: User, session_id: SessionId) -> IssuedToken:
        jti = secrets.token_urlsafe(16)
        claims = {"sub": str(user.id), "email": user.email.value, "sid": str(session_id)}
        return self._sign(claims, "access", jti, self._access_ttl)

    def issue_refresh(self, session: Session) -> IssuedToken:
        # Every claim comes from the session, so whoever answers for its current refresh id
        # (the rotating refresh and the ones racing it) hands out the very same token.
        claims = {
            "sub": str(session.user_id),
            "sid": str(session.id),
            "type": "refresh",
            "jti": session.refresh_jti,
            "iat": session.rotated_at or session.created_at,
            "exp": session.expires_at,
        }
        token = jwt.encode(claims, self._secret, algorithm=_ALGORITHM)
        left = (session.expires_at - self._clock.now()).total_seconds()
        return IssuedToken(token=token, jti=session.refresh_jti, expires_in=max(0, math.ceil(left)))

    def decode_access(self, token: str) -> AccessClaims:
        claims = self._decode(self._remembered(token), "access")
        if not isinstance(claims.get("email"), str):
            raise InvalidToken
        user_id, session_id = _ids(claims)
        return AccessClaims(
            user_id=user_id, session_id=session_id, email=claims["email"], jti=claims["jti"]
        )

    def issue_device(self, user: User) -> IssuedToken:
        return self._sign({"sub": str(user.id)}, "device", secrets.token_urlsafe(16), DEVICE_TTL)

    def decode_device(self, token: str) -> DeviceClaims:
        claims = self._decode(self._verify(token, _DEVICE_CLAIMS), "device")
        try:
            user_id = UserId(uuid.UUID(str(claims["sub"])))
        except ValueError:
            raise InvalidToken from None
        return DeviceClaims(user_id=user_id, device_id=str(claims["jti"]))

    def issue_mfa(self, user: User) -> IssuedToken:
        return self._sign({"sub": str(user.id)}, "mfa", secrets.token_urlsafe(16), MFA_TTL)

    def decode_mfa(self, token: str) -> UserId:
        claims = self._decode(self._verify(token, _DEVICE_CLAIMS), "mfa")
        try:
            return UserId(uuid.UUID(str(claims["sub"])))
        except ValueError:
            raise InvalidToken from None

    def decode_refresh(self, token: str) -> RefreshClaims:
        # A refresh token is presented once (rotation), so remembering it would only evict
        # access tokens from the cache.
        claims = self._decode(self._verify(token), "refresh")
        user_id, session_id = _ids(claims)
        return RefreshClaims(user_id=user_id, session_id=session_id, jti=str(claims["jti"]))

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one service per process, bounded
    def _remembered(self, token: str) -> dict[str, Any]:
        """`_verify`, once per distinct access token.

        A client presents the same access token on every request for 15 minutes; verifying the
        signature once and keeping the (read-only) claims saves most of the decoding cost. Expiry
        is checked on every use, so a remembered token still expires on time.
        """
        return self._verify(token)

    def _verify(self, token: str, required: list[str] = _COMMON_CLAIMS) -> dict[str, Any]:
        """Signature, pinned algorithm and required claims; expiry is checked by `_decode`."""
        if not _canonical(token):
            raise InvalidToken
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                # Time is judged on the injected clock (`_decode`), never PyJWT's system time:
                # its `iat` check would refuse tokens signed on a clock set ahead.
                options={"require": required, "verify_exp": False, "verify_iat": False},
            )
        except jwt.InvalidTokenError:
            raise InvalidToken from None
        if not isinstance(claims["exp"], int | float):
            raise InvalidToken
        return claims

    def _sign(self, claims: dict[str, Any], kind: str, jti: str, ttl: int) -> IssuedToken:
        issued = self._clock.now()
        payload = {
            **claims,
            "type": kind,
            "jti": jti,
            "iat": issued,
            "exp": issued + timedelta(seconds=ttl),
        }
        token = jwt.encode(payload, self._secret, algorithm=_ALGORITHM)
        return IssuedToken(token=token, jti=jti, expires_in=ttl)

    def _decode(self, claims: dict[str, Any], kind: str) -> dict[str, Any]:
        # The injected clock, as for signing: a library user's fixed clock governs expiry too.
        if claims["exp"] <= self._clock.now().timestamp():
            raise TokenExpired
        if claims.get("type") != kind:
            raise InvalidTokenType
        if not isinstance(claims.get("jti"), str):
            raise InvalidToken
        return claims


def _canonical(token: str) -> bool:
    """Whether each segment is the one base64url spelling of its bytes.

    The last character of a segment carries a few unused bits, so several spellings decode to
    the same signature; accepting only the canonical one means any changed character is refused.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return False
    for part in parts:
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            return False
        if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != part:
            return False
    return True


def _ids(claims: dict[str, Any]) -> tuple[UserId, SessionId]:
    try:
        return UserId(uuid.UUID(str(claims["sub"]))), SessionId(uuid.UUID(str(claims["sid"])))
    except ValueError:
        raise InvalidToken from None
