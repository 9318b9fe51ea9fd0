"""The scaling benchmark (`make bench`, after the load benchmark): does a page cost the same at
300,000 tasks as at 1,000?

Starts a throwaway Postgres and the real server (one worker, production settings), gives four
users 1,000 / 10,000 / 100,000 / 300,000 tasks each (straight through SQL, with tags on a tenth
and on half of them, due dates on 70 %), then times single requests one after another, as a
user's client makes them: the median and p90 of 30 requests per scenario and size, after 5 to
warm up. Writes bench/results/scaling.json and scaling.png.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.database import migrated_database
from tests.support.processes import running_server

SIZES = (1_000, 10_000, 100_000, 300_000)
PASSWORD = "bench password 1"
SAMPLES, WARMUP = 30, 5
# The scenarios: a name and the query string of `GET /tasks`. "walked" ones are timed at the
# fifth page of a cursor walk, to show the cursor does not slow down as it goes.
SCENARIOS: list[tuple[str, str, bool]] = [
    ("cursor, default sort", "cursor=&limit=20", False),
    ("cursor, default sort, 5th page", "cursor=&limit=20", True),
    ("cursor, sort=due_date", "cursor=&limit=20&sort=due_date", False),
    ("cursor, sort=title", "cursor=&limit=20&sort=title", False),
    ("cursor, sort=-priority", "cursor=&limit=20&sort=-priority", False),
    ("cursor, status=completed", "cursor=&limit=20&status=completed", False),
    ("cursor, tag (10 %), sort=-due_date", "cursor=&limit=20&tag=rare&sort=-due_date", False),
    ("cursor, tag (50 %), sort=-due_date", "cursor=&limit=20&tag=common&sort=-due_date", False),
    (
        "cursor, either of two tags, sort=-due_date",
        "cursor=&limit=20&tag=rare&tag=common&sort=-due_date",
        False,
    ),
    ("cursor, q=report", "cursor=&limit=20&q=report", False),
    ("cursor, q=report&sort=relevance", "cursor=&limit=20&q=report&sort=relevance", False),
    ("page mode, page 1 (with total)", "page=1&limit=20", False),
    ("page mode, q=report&sort=relevance", "page=1&limit=20&q=report&sort=relevance", False),
]

_SEED = """
INSERT INTO tasks (user_id, title, description, completed, priority, due_date,
                   created_at, updated_at)
SELECT %(user_id)s,
       (ARRAY['report', 'plan', 'review', 'call', 'email', 'invoice', 'draft', 'meeting',
              'fix', 'ship'])[1 + n %% 10] || ' ' || md5(n::text),
       'about ' || (ARRAY['taxes', 'garden', 'car', 'school'])[1 + n %% 4],
       n %% 3 = 0,
       (ARRAY['low', 'medium', 'high'])[1 + n %% 3],
       CASE WHEN n %% 10 < 7
            THEN now() + make_interval(hours => ((n::bigint * 7919) %% 4000 - 1000)::int) END,
       now() - make_interval(secs => %(count)s - n),
       now() - make_interval(secs => %(count)s - n)
FROM generate_series(1, %(count)s) AS n
"""
_TAGS = "INSERT INTO tags (user_id, name) VALUES (%(user_id)s, 'rare'), (%(user_id)s, 'common')"
_LINKS = """
INSERT INTO task_tag_link (task_id, tag_id)
SELECT t.id, g.id FROM tasks t JOIN tags g ON g.user_id = t.user_id
WHERE t.user_id = %(user_id)s
  AND ((g.name = 'rare' AND t.id %% 10 = 0) OR (g.name = 'common' AND t.id %% 2 = 0))
"""


def _user(client: httpx.Client, size: int) -> tuple[str, str]:
    email = f"scale{size}@bench.example"
    client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    login = client.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD})
    token = login.json()["access_token"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    return token, me["id"]


def _time(
    client: httpx.Client, params: httpx.QueryParams, headers: dict[str, str]
) -> dict[str, float]:
    timings = []
    for attempt in range(WARMUP + SAMPLES):
        started = time.perf_counter()
        response = client.get("/api/v1/tasks", params=params, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if attempt >= WARMUP:
            timings.append(elapsed)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(timings[int(len(timings) * 0.9) - 1], 2),
    }


def _fifth_page(
    client: httpx.Client, params: httpx.QueryParams, headers: dict[str, str]
) -> httpx.QueryParams:
    for _ in range(4):
        page = client.get("/api/v1/tasks", params=params, headers=headers).json()
        params = params.set("cursor", page["next_cursor"])
    return params


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, dict[int, dict[str, float]]] = {name: {} for name, _, _ in SCENARIOS}
    secret = secrets.token_hex(32)
    with (
        migrated_database("todo_scaling", out, secret, "WARNING") as (database, env),
        running_server(out, env, "--workers", "1") as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        users = {size: _user(client, size) for size in sizes}
        started = time.perf_counter()
        with psycopg.connect(database) as connection:
            for size, (_, user_id) in users.items():
                connection.execute(_SEED, {"user_id": user_id, "count": size})
                connection.execute(_TAGS, {"user_id": user_id})
                connection.execute(_LINKS, {"user_id": user_id})
            connection.commit()
            connection.autocommit = True
            connection.execute("VACUUM ANALYZE")
        print(f"seeded {sum(sizes):,} tasks in {time.perf_counter() - started:.0f}s")
        for size, (token, _) in users.items():
            headers = {"Authorization": f"Bearer {token}"}
            for name, query, walked in SCENARIOS:
                params = httpx.QueryParams(query)
                if walked:
                    params = _fifth_page(client, params, headers)
                figures[name][size] = _time(client, params, headers)
                print(f"{size:>8,} tasks  {name:<38} {figures[name][size]}", flush=True)
    smallest, largest = min(sizes), max(sizes)
    summary: dict[str, Any] = {
        "method": f"median and p90 of {SAMPLES} single requests after {WARMUP} warm-up ones; "
        "one server worker; loopback",
        "sizes": sizes,
        "scenarios": {
            name: {
                "by_size": {str(size): figure for size, figure in by_size.items()},
                "ratio_largest_to_smallest": round(
                    by_size[largest]["median_ms"] / by_size[smallest]["median_ms"], 2
                ),
            }
            for name, by_size in figures.items()
        },
    }
    (out / "scaling.json").write_text(json.dumps(summary, indent=2) + "\n")
    _plot(summary, out / "scaling.png")
    for name, data in summary["scenarios"].items():
        print(f"{name:<38} {largest:,} / {smallest:,}: {data['ratio_largest_to_smallest']}x")
    print(f"wrote {out / 'scaling.json'} and {out / 'scaling.png'}")
    return 0


def _plot(summary: dict[str, Any], png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(11, 6))
    for name, data in summary["scenarios"].items():
        sizes = [int(s) for s in data["by_size"]]
        medians = [f["median_ms"] for f in data["by_size"].values()]
        style = "-o" if name.startswith("cursor") else "--s"
        axis.plot(sizes, medians, style, label=name)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("tasks of the user")
    axis.set_ylabel("median latency of one request (ms)")
    axis.set_title("GET /tasks: cursor pages stay flat; page mode's count does not")
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(png, dpi=110)


if __name__ == "__main__":
    sys.exit(main())
