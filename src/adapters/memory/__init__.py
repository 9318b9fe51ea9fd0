"""In-memory adapters of every port, for library users' tests and ours."""

from adapters.memory.repositories import InMemorySessionRepository, InMemoryUserRepository
from adapters.memory.security import FakePasswordHasher, InMemoryPasswordBlocklist
from adapters.memory.tasks import InMemoryTagRepository, InMemoryTaskRepository
from adapters.memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork

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
