"""10,000 reminders due in the same minute, fired by two workers (SPEC 10, issue 14).

Starts a throwaway Postgres, seeds one user with a verified address and 10,000 tasks, each with
one reminder; the reminders fall due evenly over one minute starting 15 s after the seed. Two
`todo-api worker` processes (production settings, WORKER_POLL_SECONDS 2, the console mailer) fire
them: a task.reminder event and a queued mail each. Then it reads from the database how late
each fired (the event's time against the reminder's), whether any fired twice, and how long
after the last due time the last one fired. Writes bench/results/reminders.json (`--spread 0`: all
due at the same instant, reminders-0s.json).
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.database import migrated_database
from tests.support.processes import TODO_API

COUNT = 10_000
LEAD_SECONDS = 15

_USER = """
INSERT INTO users (id, email, password_hash, created_at, updated_at, email_verified)
VALUES (gen_random_uuid(), 'r@bench.example', 'x', now(), now(), true) RETURNING id
"""
# The reminder list as the task repository stores it, and its schedule row.
_SEED = """
WITH due AS (
    SELECT n, %(start)s::timestamptz + n * (%(spread)s * interval '1 second' / %(count)s) AS at
    FROM generate_series(0, %(count)s - 1) AS n
), added AS (
    INSERT INTO tasks (user_id, title, created_at, updated_at, reminders)
    SELECT %(user_id)s, 'remind ' || n, now(), now(),
           jsonb_build_array(jsonb_build_object(
               'id', 1, 'before_minutes', NULL, 'snoozed_until', NULL,
               'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')))
    FROM due
    RETURNING id, (reminders -> 0 ->> 'at')::timestamptz AS at
)
INSERT INTO task_reminders (task_id, reminder_id, user_id, remind_at)
SELECT id, 1, %(user_id)s, at FROM added
"""
_FIRED = """
SELECT count(*),
       count(DISTINCT (data -> 'task' ->> 'id')),
       percentile_cont(ARRAY[0.5, 0.95, 1.0]) WITHIN GROUP (ORDER BY extract(epoch FROM
           occurred_at - (data -> 'reminder' ->> 'remind_at')::timestamptz)),
       max(occurred_at)
FROM events WHERE type = 'task.reminder'
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--spread",
        type=float,
        default=60.0,
        help="seconds the due times spread over (0: all at once)",
    )
    options = parser.parse_args()
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        database, env = stack.enter_context(
            migrated_database("todo_reminders", out, secrets.token_hex(32), "WARNING")
        )
        env.update(IN_PROCESS_WORKER="false", WORKER_POLL_SECONDS="2")
        with psycopg.connect(database, autocommit=True) as connection:
            user_id = connection.execute(_USER).fetchone()[0]  # type: ignore[index]
            start = connection.execute(
                "SELECT now() + make_interval(secs => %s)", (LEAD_SECONDS,)
            ).fetchone()[0]  # type: ignore[index]
            connection.execute(
                _SEED,
                {"start": start, "count": COUNT, "user_id": user_id, "spread": options.spread},
            )
            connection.execute("VACUUM ANALYZE task_reminders")
        workers = [
            subprocess.Popen(
                [str(TODO_API), "worker"],
                cwd=out,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(options.workers)
        ]
        try:
            deadline = time.monotonic() + LEAD_SECONDS + 60 + 180
            with psycopg.connect(database, autocommit=True) as connection:
                while time.monotonic() < deadline:
                    fired = connection.execute(
                        "SELECT count(*) FROM events WHERE type = 'task.reminder'"
                    ).fetchone()[0]  # type: ignore[index]
                    if fired >= COUNT:
                        break
                    time.sleep(1)
                time.sleep(3)  # room for a second firing to show up, if there were one
                count, distinct, (p50, p95, latest), last = connection.execute(_FIRED).fetchone()  # type: ignore[misc]
                pending = connection.execute(
                    "SELECT count(*) FROM task_reminders WHERE fired_for IS DISTINCT FROM remind_at"
                ).fetchone()[0]  # type: ignore[index]
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(30)
    end_of_minute = start.timestamp() + options.spread
    results = {
        "method": f"{options.workers} todo-api worker processes on this machine (2 cores shared"
        " with Postgres), production settings, WORKER_POLL_SECONDS=2, console mailer;"
        f" {COUNT} reminders due evenly over {options.spread:g} s",
        "reminders": COUNT,
        "fired": count,
        "fired_twice": count - distinct,
        "not_fired": pending,
        "lateness_seconds": {"p50": round(p50, 2), "p95": round(p95, 2), "max": round(latest, 2)},
        "last_fired_after_the_last_due_seconds": round(last.timestamp() - end_of_minute, 2),
    }
    name = "reminders.json" if options.spread == 60 else f"reminders-{options.spread:g}s.json"
    (out / name).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0 if count == distinct == COUNT and pending == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
