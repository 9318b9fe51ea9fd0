"""Where todo-api's Alembic revision is kept, apart from any host's.

A host service sharing the database may run its own Alembic history, whose revision sits in the
default `alembic_version` table. todo-api keeps its own in `todo_api_alembic_version`, in its
own schema, and never reads or writes the host's. Releases before 0.2 wrote `alembic_version`:
on the first upgrade, a todo-api revision found there is moved across once (adopted).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection

VERSION_TABLE = "todo_api_alembic_version"
LEGACY_VERSION_TABLE = "alembic_version"
DEFAULT_SCHEMA = "public"
# Plain lower-case identifiers only: the name goes into DDL and the connection's search_path.
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def search_path(schema: str) -> str:
    """The search_path that puts todo-api's tables first; `public` stays visible for extensions."""
    return schema if schema == DEFAULT_SCHEMA else f"{schema},{DEFAULT_SCHEMA}"


def prepare_schema(connection: Connection, schema: str) -> None:
    """Create the schema if needed and make it the connection's first search path entry."""
    if not SCHEMA_NAME.match(schema):
        raise ValueError(f"not a plain schema name: {schema!r}")
    if schema != DEFAULT_SCHEMA:
        connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    connection.execute(sa.text(f"SET search_path TO {search_path(schema)}"))
    connection.commit()


def adopt_legacy_version(connection: Connection, schema: str | None, known: set[str]) -> None:
    """Move a todo-api revision out of a plain `alembic_version`, once; leave a host's alone."""
    inspector = sa.inspect(connection)
    if inspector.has_table(VERSION_TABLE, schema) or not inspector.has_table(
        LEGACY_VERSION_TABLE, schema
    ):
        return
    legacy = sa.table(LEGACY_VERSION_TABLE, sa.column("version_num"), schema=schema)
    ours = [v for v in connection.execute(sa.select(legacy.c.version_num)).scalars() if v in known]
    if not ours:
        return
    version = _version_table(schema)
    version.create(connection)
    connection.execute(version.insert(), [{"version_num": v} for v in ours])
    connection.execute(legacy.delete().where(legacy.c.version_num.in_(ours)))
    if connection.execute(sa.select(sa.func.count()).select_from(legacy)).scalar_one() == 0:
        sa.Table(LEGACY_VERSION_TABLE, sa.MetaData(), schema=schema).drop(connection)
    connection.commit()


def read_version(connection: Connection, schema: str | None) -> str | None:
    """The revision todo-api's schema is at, or None before its first migration."""
    if not sa.inspect(connection).has_table(VERSION_TABLE, schema):
        return None
    version = _version_table(schema)
    return connection.execute(sa.select(version.c.version_num)).scalar_one_or_none()


def _version_table(schema: str | None) -> sa.Table:
    # The shape Alembic itself gives its version table.
    return sa.Table(
        VERSION_TABLE,
        sa.MetaData(),
        sa.Column("version_num", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
        schema=schema,
    )
