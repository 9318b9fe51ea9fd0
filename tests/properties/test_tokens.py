"""Any tampering with a token is refused."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from todo_api.adapters.clock import FixedClock
from todo_api.adapters.security.jwt_tokens import JwtTokenService
from todo_api.application.errors import InvalidToken, InvalidTokenType, TokenExpired
from todo_api.domain.email import Email
from todo_api.domain.ids import SessionId
from todo_api.domain.user import User

SECRET = secrets.token_hex(32)
_NOW = datetime.now(UTC).replace(microsecond=0)
SERVICE = JwtTokenService(SECRET, FixedClock(_NOW))
USER = User.register(email=Email.parse("a@example.com"), password_hash="h", name=None, now=_NOW)
TOKEN = SERVICE.issue_access(USER, SessionId(uuid.uuid4())).token
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."


@settings(max_examples=300)
@given(position=st.integers(0, len(TOKEN) - 1), replacement=st.sampled_from(ALPHABET))
def test_any_changed_character_is_refused(position: int, replacement: str) -> None:
    if TOKEN[position] == replacement:
        return
    tampered = TOKEN[:position] + replacement + TOKEN[position + 1 :]
    service = JwtTokenService(SECRET, FixedClock(_NOW))  # nothing remembered
    with pytest.raises((InvalidToken, InvalidTokenType, TokenExpired)):
        service.decode_access(tampered)


@given(st.binary(max_size=64).map(lambda b: b.hex()))
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidToken):
        SERVICE.decode_access(garbage)
