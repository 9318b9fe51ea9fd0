"""In-memory adapters of every port, for library users' tests and ours."""

from todo_api.adapters.memory.repositories import InMemorySessionRepository, InMemoryUserRepository
from todo_api.adapters.memory.security import FakePasswordHasher, InMemoryPasswordBlocklist
from todo_api.adapters.memory.tasks import InMemoryTagRepository, InMemoryTaskRepository
from todo_api.adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork

__all__ = [
    "FakePasswordHasher",
    "InMemoryPasswordBlocklist",
    "InMemorySessionRepository",
    "InMemoryStore",
    "InMemoryTagRepository",
    "InMemoryTaskRepository",
    "InMemoryUnitOfWork",
    "InMemoryUserRepository",
]
