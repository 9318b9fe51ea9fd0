"""Alembic environment: migrations run on a synchronous connection, by command only.

On Postgres the tables live in the schema named by the `schema` attribute (DB_SCHEMA, default
public), and the revision in todo-api's own version table, so a host service's Alembic history
in the same database is never read or written (adapters/persistence/versioning.py).
"""

from __future__ import annotations

import os

from alembic import context
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import Connection

from todo_api.adapters.persistence.engine import sync_url
from todo_api.adapters.persistence.tables import metadata
from todo_api.adapters.persistence.versioning import (
    DEFAULT_SCHEMA,
    VERSION_TABLE,
    adopt_legacy_version,
    prepare_schema,
)

config = context.config


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError("no database URL: set DATABASE_URL or sqlalchemy.url")
    return sync_url(url)


def _schema() -> str:
    return str(config.attributes.get("schema") or os.environ.get("DB_SCHEMA") or DEFAULT_SCHEMA)


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=metadata, literal_binds=True, version_table=VERSION_TABLE
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        engine = create_engine(_url(), poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connectable)


def _run(connection: Connection) -> None:
    schema: str | None = None
    if connection.dialect.name == "postgresql":
        schema = _schema()
        prepare_schema(connection, schema)
    known = {revision.revision for revision in ScriptDirectory.from_config(config).walk_revisions()}
    adopt_legacy_version(connection, schema, known)
    # Inspecting began a transaction; Alembic commits only a transaction it began itself.
    connection.commit()
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        version_table=VERSION_TABLE,
        version_table_schema=schema,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
