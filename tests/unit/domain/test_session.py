import uuid
from datetime import UTC, datetime, timedelta

from todo_api.domain.ids import UserId
from todo_api.domain.session import RefreshVerdict, Session

NOW = datetime(2026, 1, 1, 10, tzinfo=UTC)
WEEK = timedelta(days=7)
GRACE = timedelta(seconds=5)


def _session() -> Session:
    return Session.start(user_id=UserId(uuid.uuid4()), lifetime=WEEK, user_agent="ua", now=NOW)


def test_a_new_session_is_live_until_it_expires() -> None:
    session = _session()
    assert session.is_live(NOW)
    assert not session.is_live(NOW + WEEK)


def test_the_current_refresh_id_is_current() -> None:
    session = _session()
    assert session.judge_refresh(session.refresh_jti, NOW, GRACE) is RefreshVerdict.CURRENT


def test_rotation_replaces_the_id_and_extends_the_session() -> None:
    session = _session()
    old = session.refresh_jti
    later = NOW + timedelta(days=1)
    session.rotate(WEEK, later)
    assert session.refresh_jti != old
    assert session.previous_jti == old
    assert session.expires_at == later + WEEK
    assert session.last_used_at == later


def test_the_id_just_rotated_away_is_a_race_within_the_grace_window() -> None:
    session = _session()
    old = session.refresh_jti
    session.rotate(WEEK, NOW)
    assert session.judge_refresh(old, NOW + GRACE, GRACE) is RefreshVerdict.JUST_ROTATED


def test_the_id_just_rotated_away_is_reuse_after_the_grace_window() -> None:
    session = _session()
    old = session.refresh_jti
    session.rotate(WEEK, NOW)
    later = NOW + GRACE + timedelta(seconds=1)
    assert session.judge_refresh(old, later, GRACE) is RefreshVerdict.REUSED


def test_an_older_id_is_reuse_even_within_the_grace_window() -> None:
    session = _session()
    first = session.refresh_jti
    session.rotate(WEEK, NOW)
    session.rotate(WEEK, NOW)
    assert session.judge_refresh(first, NOW, GRACE) is RefreshVerdict.REUSED


def test_a_revoked_session_refuses_even_its_current_id() -> None:
    session = _session()
    session.revoke(NOW)
    assert session.judge_refresh(session.refresh_jti, NOW, GRACE) is RefreshVerdict.DEAD
    first_revocation = session.revoked_at
    session.revoke(NOW + timedelta(hours=1))
    assert session.revoked_at == first_revocation


def test_user_agents_are_clipped_and_cleaned() -> None:
    session = Session.start(
        user_id=UserId(uuid.uuid4()), lifetime=WEEK, user_agent="a\x00" * 300, now=NOW
    )
    assert session.user_agent is not None
    assert len(session.user_agent) == 255
    assert "\x00" not in session.user_agent
