"""Seed the benchmark database straight through SQL, and write the token fixtures wrk reads.

Going around the API is what makes seeding 100,000 tasks and tens of thousands of sessions take
seconds: every user shares one bcrypt hash (cost 12) of the benchmark password, and tokens are
signed with the service's own JwtTokenService and the secret the server is started with.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from todo_api.adapters.clock import SystemClock
from todo_api.adapters.security.bcrypt_hasher import BcryptPasswordHasher
from todo_api.adapters.security.jwt_tokens import JwtTokenService
from todo_api.domain.email import Email
from todo_api.domain.ids import SessionId, UserId
from todo_api.domain.session import Session
from todo_api.domain.user import DisplayName, User

PASSWORD = "bench password 1"
WORDS = ["report", "plan", "review", "call", "email", "invoice", "draft", "meeting", "fix", "ship"]
PRIORITIES = ["low", "medium", "high"]


@dataclass(frozen=True)
class Fixtures:
    users_file: Path  # "access_token task_id tag_name email" per user
    refresh_file: Path  # one refresh token per line, each usable once


def seed(
    libpq_url: str,
    secret: str,
    out: Path,
    *,
    users: int = 1000,
    tasks_per_user: int = 100,
    refresh_sessions: int = 60_000,
) -> Fixtures:
    rng = random.Random(20261125)
    now = datetime.now(UTC)
    hasher = BcryptPasswordHasher(rounds=12)
    password_hash = asyncio.run(hasher.hash(PASSWORD))
    hasher.close()
    tokens = JwtTokenService(secret, SystemClock())

    people = [
        User(
            id=UserId(uuid.uuid4()),
            email=Email(f"user{n}@bench.example"),
            password_hash=password_hash,
            name=DisplayName(f"User {n}"),
            created_at=now,
            updated_at=now,
        )
        for n in range(users)
    ]
    with psycopg.connect(libpq_url) as connection, connection.cursor() as cursor:
        with cursor.copy(
            "COPY users (id, email, password_hash, name, created_at, updated_at) FROM STDIN"
        ) as copy:
            for u in people:
                copy.write_row((u.id, u.email.value, u.password_hash, u.name, now, now))

        with cursor.copy("COPY tags (user_id, name, color) FROM STDIN") as copy:
            for u in people:
                for name in ("work", "home", "errands"):
                    copy.write_row((u.id, name, "#336699"))
        cursor.execute("SELECT user_id, id, name FROM tags")
        tags_of: dict[uuid.UUID, list[tuple[int, str]]] = {}
        for user_id, tag_id, name in cursor.fetchall():
            tags_of.setdefault(user_id, []).append((tag_id, name))

        with cursor.copy(
            "COPY tasks (user_id, title, description, completed, priority, due_date, "
            "created_at, updated_at) FROM STDIN"
        ) as copy:
            for u in people:
                for n in range(tasks_per_user):
                    created = now - timedelta(minutes=tasks_per_user - n)
                    due = now + timedelta(days=rng.randint(-30, 60)) if rng.random() < 0.7 else None
                    title = f"{rng.choice(WORDS)} {rng.choice(WORDS)} #{n}"
                    copy.write_row(
                        (
                            u.id,
                            title,
                            f"about {rng.choice(WORDS)}",
                            rng.random() < 0.3,
                            rng.choice(PRIORITIES),
                            due,
                            created,
                            created,
                        )
                    )
        cursor.execute("SELECT id, user_id FROM tasks ORDER BY id")
        first_task: dict[uuid.UUID, int] = {}
        links = []
        for task_id, user_id in cursor.fetchall():
            first_task.setdefault(user_id, task_id)
            if rng.random() < 1 / 3:
                for tag_id, _ in rng.sample(tags_of[user_id], rng.randint(1, 2)):
                    links.append((task_id, tag_id))
        with cursor.copy("COPY task_tag_link (task_id, tag_id) FROM STDIN") as copy:
            for link in links:
                copy.write_row(link)

        sessions = [_session(people[n % users].id, now) for n in range(users + refresh_sessions)]
        with cursor.copy(
            "COPY sessions (id, user_id, refresh_jti, created_at, last_used_at, expires_at) "
            "FROM STDIN"
        ) as copy:
            for s in sessions:
                copy.write_row((s.id, s.user_id, s.refresh_jti, now, now, s.expires_at))
        cursor.execute("ANALYZE")

    out.mkdir(parents=True, exist_ok=True)
    users_file, refresh_file = out / "users.txt", out / "refresh.txt"
    with users_file.open("w") as handle:
        for u, s in zip(people, sessions[:users], strict=True):
            access = tokens.issue_access(u, SessionId(s.id)).token
            tag_name = rng.choice(tags_of[u.id])[1]
            handle.write(f"{access} {first_task[u.id]} {tag_name} {u.email.value}\n")
    with refresh_file.open("w") as handle:
        for s in sessions[users:]:
            handle.write(tokens.issue_refresh(s).token + "\n")
    return Fixtures(users_file=users_file, refresh_file=refresh_file)


def _session(user_id: UserId, now: datetime) -> Session:
    return Session.start(user_id=user_id, lifetime=timedelta(days=7), user_agent=None, now=now)
