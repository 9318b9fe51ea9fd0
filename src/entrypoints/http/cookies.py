"""The auth cookies: the refresh token (set and cleared with identical attributes) and the
device token a successful login leaves, which keeps others' failed guesses from locking the
owner's own clients out (application/auth/throttle.py)."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import Cookie

REFRESH_COOKIE = "refresh_token"
REFRESH_COOKIE_PATH = "/api/v1/auth"
DEVICE_COOKIE = "device_token"


def _auth_cookie(key: str, token: str, max_age: int, secure: bool) -> Cookie:
    # Sent only to the auth endpoints, never readable by scripts, never cross-site.
    return Cookie(
        key=key,
        value=token,
        max_age=max_age,
        path=REFRESH_COOKIE_PATH,
        httponly=True,
        secure=secure,
        samesite="strict",
    )


def refresh_cookie(token: str, max_age: int, *, secure: bool) -> Cookie:
    return _auth_cookie(REFRESH_COOKIE, token, max_age, secure)


def cleared_refresh_cookie(*, secure: bool) -> Cookie:
    # Clearing needs the same path and flags as setting, or the browser keeps the old cookie.
    return refresh_cookie("", 0, secure=secure)


def refresh_token_of(request: Request) -> str | None:
    return request.cookies.get(REFRESH_COOKIE) or None


def device_cookie(token: str, max_age: int, *, secure: bool) -> Cookie:
    return _auth_cookie(DEVICE_COOKIE, token, max_age, secure)


def device_token_of(request: Request) -> str | None:
    return request.cookies.get(DEVICE_COOKIE) or None
