import base64
import json
import math
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from todo_api.adapters.clock import FixedClock
from todo_api.adapters.security.jwt_tokens import JwtTokenService
from todo_api.application.errors import InvalidToken, InvalidTokenType, TokenExpired
from todo_api.domain.email import Email
from todo_api.domain.ids import SessionId
from todo_api.domain.session import Session
from todo_api.domain.user import User

SECRET = secrets.token_hex(32)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _user(now: datetime) -> User:
    return User.register(
        email=Email.parse("ann@example.com"), password_hash="h", name=None, now=now
    )


def test_access_tokens_carry_every_claim_of_the_contract() -> None:
    now = _now()
    service = JwtTokenService(SECRET, FixedClock(now))
    user = _user(now)
    session_id = SessionId(uuid.uuid4())
    issued = service.issue_access(user, session_id)
    claims = jwt.decode(issued.token, SECRET, algorithms=["HS256"])
    assert claims["sub"] == str(user.id)
    assert claims["email"] == "ann@example.com"
    assert claims["type"] == "access"
    assert claims["sid"] == str(session_id)
    assert claims["exp"] - claims["iat"] == 900 == issued.expires_in
    assert claims["jti"]
    assert jwt.get_unverified_header(issued.token)["alg"] == "HS256"


def test_two_tokens_in_the_same_second_differ() -> None:
    now = _now()
    service = JwtTokenService(SECRET, FixedClock(now))
    user = _user(now)
    sid = SessionId(uuid.uuid4())
    assert service.issue_access(user, sid).token != service.issue_access(user, sid).token


def test_refresh_tokens_last_a_week_and_carry_the_session_refresh_id() -> None:
    now = _now()
    service = JwtTokenService(SECRET, FixedClock(now))
    session = Session.start(
        user_id=_user(now).id, lifetime=timedelta(days=7), user_agent=None, now=now
    )
    issued = service.issue_refresh(session)
    claims = service.decode_refresh(issued.token)
    assert (claims.jti, claims.session_id, claims.user_id) == (
        session.refresh_jti,
        session.id,
        session.user_id,
    )
    assert issued.expires_in == 604800


def test_a_sessions_refresh_token_is_the_same_whenever_it_is_issued() -> None:
    """Concurrent refreshes with one cookie answer with the session's current token: the same
    token, even when their answers fall on either side of a second (a clean-clone CI run got two
    spellings of one refresh id)."""
    now = _now()
    clock = FixedClock(now)
    service = JwtTokenService(SECRET, clock)
    session = Session.start(
        user_id=_user(now).id, lifetime=timedelta(days=7), user_agent=None, now=now
    )
    session.rotate(timedelta(days=7), now + timedelta(milliseconds=900))
    first = service.issue_refresh(session)
    clock.advance(timedelta(seconds=1))
    second = service.issue_refresh(session)
    assert first.token == second.token
    claims = jwt.decode(second.token, SECRET, algorithms=["HS256"])
    assert claims["exp"] == int(session.expires_at.timestamp())
    # The cookie lives as long as the session has left (whole seconds, rounded up).
    assert second.expires_in == math.ceil((session.expires_at - clock.now()).total_seconds())


def test_an_expired_token_is_reported_as_expired() -> None:
    past = _now() - timedelta(hours=1)
    service = JwtTokenService(SECRET, FixedClock(past))
    token = service.issue_access(_user(past), SessionId(uuid.uuid4())).token
    with pytest.raises(TokenExpired):
        JwtTokenService(SECRET, FixedClock(_now())).decode_access(token)


def test_a_token_signed_with_another_key_is_invalid() -> None:
    now = _now()
    token = (
        JwtTokenService(secrets.token_hex(32), FixedClock(now))
        .issue_access(_user(now), SessionId(uuid.uuid4()))
        .token
    )
    with pytest.raises(InvalidToken):
        JwtTokenService(SECRET, FixedClock(now)).decode_access(token)


def _unsigned(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def test_alg_none_is_refused() -> None:
    now = _now()
    service = JwtTokenService(SECRET, FixedClock(now))
    good = jwt.decode(
        service.issue_access(_user(now), SessionId(uuid.uuid4())).token,
        SECRET,
        algorithms=["HS256"],
    )
    with pytest.raises(InvalidToken):
        service.decode_access(_unsigned(good))


def test_a_token_missing_a_claim_is_invalid() -> None:
    now = int(_now().timestamp())
    token = jwt.encode(
        {"sub": str(uuid.uuid4()), "type": "access", "iat": now, "exp": now + 60}, SECRET
    )
    with pytest.raises(InvalidToken):
        JwtTokenService(SECRET, FixedClock(_now())).decode_access(token)


def test_a_refresh_token_is_not_an_access_token_and_vice_versa() -> None:
    now = _now()
    service = JwtTokenService(SECRET, FixedClock(now))
    user = _user(now)
    session = Session.start(user_id=user.id, lifetime=timedelta(days=7), user_agent=None, now=now)
    with pytest.raises(InvalidTokenType):
        service.decode_access(service.issue_refresh(session).token)
    with pytest.raises(InvalidTokenType):
        service.decode_refresh(service.issue_access(user, session.id).token)


def test_a_non_uuid_subject_is_invalid() -> None:
    now = int(_now().timestamp())
    claims = {"sub": "42", "sid": "x", "type": "refresh", "jti": "j", "iat": now, "exp": now + 60}
    with pytest.raises(InvalidToken):
        JwtTokenService(SECRET, FixedClock(_now())).decode_refresh(jwt.encode(claims, SECRET))


def test_a_verified_token_still_expires_on_time() -> None:
    clock = FixedClock(_now())
    service = JwtTokenService(SECRET, clock)
    token = service.issue_access(_user(clock.now()), SessionId(uuid.uuid4())).token
    service.decode_access(token)  # verified and remembered
    clock.advance(timedelta(seconds=901))
    with pytest.raises(TokenExpired):
        service.decode_access(token)


def test_a_clock_set_ahead_of_the_system_time_is_obeyed_too() -> None:
    clock = FixedClock(datetime(2040, 1, 1, tzinfo=UTC))
    service = JwtTokenService(SECRET, clock)
    session_id = SessionId(uuid.uuid4())
    token = service.issue_access(_user(clock.now()), session_id).token
    assert service.decode_access(token).session_id == session_id


def test_expiry_reads_the_injected_clock_not_the_system_time() -> None:
    # A library user's test on a fixed clock in the past: the token it just got must work.
    clock = FixedClock(datetime(2020, 1, 1, tzinfo=UTC))
    service = JwtTokenService(SECRET, clock)
    session_id = SessionId(uuid.uuid4())
    token = service.issue_access(_user(clock.now()), session_id).token
    assert service.decode_access(token).session_id == session_id
    clock.advance(timedelta(seconds=899))
    assert service.decode_access(token).session_id == session_id
    clock.advance(timedelta(seconds=1))
    with pytest.raises(TokenExpired):
        service.decode_access(token)
