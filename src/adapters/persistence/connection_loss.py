"""Turning a lost or unreachable database into the application's StorageUnavailable.

Callers of the use cases, over HTTP or through the library, see one documented error for "the
database cannot be reached now" rather than a driver's exception. Errors that mean a bug (a
statement the database refused for its content) are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from todo_api.application.errors import SchemaMissing, StorageUnavailable


def is_missing_schema(error: BaseException) -> bool:
    """Whether the database answered that todo-api's tables do not exist (never migrated)."""
    if not isinstance(error, DBAPIError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate == "42P01" or "no such table" in str(error.orig)


def is_connection_loss(error: BaseException) -> bool:
    """Whether the error says the database is down, unreachable, too slow, or dropped us."""
    if isinstance(error, DBAPIError):
        return isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated
    # The pool timing out, a refused or reset socket, a client-side deadline.
    return isinstance(error, PoolTimeoutError | OSError)


@contextmanager
def translating_connection_loss() -> Iterator[None]:
    """Raise StorageUnavailable instead of a connection loss; let any other error through."""
    try:
        yield
    except Exception as error:
        if is_missing_schema(error):
            raise SchemaMissing from error
        if is_connection_loss(error):
            raise StorageUnavailable from error
        raise
