"""Running todo-api's Alembic migrations by command, and telling whether a database is behind.

    from todo_api.entrypoints import migrations
    migrations.upgrade("postgresql+psycopg://app@db/app", schema="todo")

The migrations ship inside the package, so this works from any directory and from the wheel.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from todo_api.adapters.persistence.engine import sync_url
from todo_api.adapters.persistence.versioning import DEFAULT_SCHEMA, read_version
from todo_api.entrypoints.settings import load_database_settings

__all__ = [
    "SCRIPT_LOCATION",
    "alembic_config",
    "current",
    "database_revision",
    "downgrade",
    "head_revision",
    "pending_migration",
    "upgrade",
]

# A package resource, so the migrations are found inside an installed wheel too.
SCRIPT_LOCATION = "todo_api.adapters.persistence:migrations"


def alembic_config(database_url: str, schema: str = DEFAULT_SCHEMA) -> Config:
    """An Alembic configuration for todo-api's migrations on this database and schema."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    # ConfigParser interpolates '%', which URL-encoded passwords contain.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["schema"] = schema
    return config


def upgrade(
    database_url: str | None = None, revision: str = "head", *, schema: str | None = None
) -> None:
    """Migrate up to `revision`; without a URL, DATABASE_URL and DB_SCHEMA are read.

    Raises:
        sqlalchemy.exc.OperationalError: the database cannot be reached.
    """
    url, schema = _target(database_url, schema)
    _ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url, schema), revision)


def downgrade(database_url: str | None, revision: str, *, schema: str | None = None) -> None:
    """Migrate down to `revision` (for example `-1` or `base`)."""
    url, schema = _target(database_url, schema)
    command.downgrade(alembic_config(url, schema), revision)


def current(database_url: str | None = None, *, schema: str | None = None) -> str | None:
    """The revision the database is at, or None before the first migration."""
    url, schema = _target(database_url, schema)
    engine = sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return read_version(connection, _schema_of(url, schema))
    finally:
        engine.dispose()


@cache
def head_revision() -> str | None:
    """The newest revision the installed package carries."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def database_revision(engine: AsyncEngine, schema: str = DEFAULT_SCHEMA) -> str | None:
    """The revision the database is at, or None before the first migration."""
    async with engine.connect() as connection:
        table_schema = _schema_of(str(engine.url), schema)
        return await connection.run_sync(lambda sync: read_version(sync, table_schema))


async def pending_migration(engine: AsyncEngine, schema: str = DEFAULT_SCHEMA) -> str | None:
    """The newest revision when the database is behind it, else None."""
    head = head_revision()
    at = await database_revision(engine, schema)
    return head if at != head else None


def _target(database_url: str | None, schema: str | None) -> tuple[str, str]:
    if database_url is None:
        settings = load_database_settings()
        return settings.database_url, schema or settings.db_schema
    return database_url, schema or DEFAULT_SCHEMA


def _schema_of(database_url: str, schema: str) -> str | None:
    # SQLite has no schemas: its tables are in the file's one namespace.
    return None if database_url.startswith("sqlite") else schema


def _ensure_sqlite_folder(database_url: str) -> None:
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
