"""The benchmarks' throwaway Postgres: a durable local cluster, one migrated database, and the
environment the real server is started with."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.postgres import LocalCluster
from tests.support.processes import base_env, run_cli


@contextmanager
def migrated_database(
    name: str, workdir: Path, secret: str, log_level: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield the database's libpq URL and the server's environment: production settings with
    the given secret, rate limits off (every request comes from 127.0.0.1)."""
    with LocalCluster(durable=True, extra_options="-c shared_buffers=256MB") as cluster:
        database = cluster.url.rsplit("/", 1)[0] + f"/{name}"
        subprocess.run(
            ["psql", cluster.url, "-qc", f"CREATE DATABASE {name}"],
            check=True,
            capture_output=True,
        )
        env = base_env(
            APP_ENV="production",
            DATABASE_URL=database.replace("postgresql://", "postgresql+psycopg://"),
            JWT_SECRET_KEY=secret,
            RATE_LIMIT_ENABLED="false",
            LOG_LEVEL=log_level,
        )
        run_cli("db", "upgrade", cwd=workdir, env=env)
        yield database, env
