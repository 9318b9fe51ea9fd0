"""One repository contract, three adapters: in-memory, SQLite and Postgres."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from todo_api.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from todo_api.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from todo_api.application.ports import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def uow_factory(request: pytest.FixtureRequest) -> UowFactory:
    if request.param == "memory":
        store = InMemoryStore()
        return lambda: InMemoryUnitOfWork(store)
    engine = request.getfixturevalue(f"{'pg' if request.param == 'postgres' else 'sqlite'}_engine")
    return lambda: SqlAlchemyUnitOfWork(engine)
