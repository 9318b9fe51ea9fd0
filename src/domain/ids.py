"""Identifiers of the domain's entities."""

from typing import NewType
from uuid import UUID

__all__ = ["SessionId", "TagId", "TaskId", "UserId"]

UserId = NewType("UserId", UUID)
SessionId = NewType("SessionId", UUID)
TaskId = NewType("TaskId", int)
TagId = NewType("TagId", int)
