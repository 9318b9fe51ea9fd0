"""Cursors of cursor pages: opaque to clients, signed so a changed one is refused.

A cursor carries where the last page ended (its last task's sort key and id) and what it was
issued for (the listing's sort and filters). Clients cannot forge a position into another
listing, nor read one.
"""

from __future__ import annotations

from datetime import datetime

from todo_api.application.errors import InvalidCursor
from todo_api.application.listing import Position, SortField
from todo_api.application.signed import Signer
from todo_api.domain.ids import TaskId

__all__ = ["CursorCodec"]

_VERSION = 1


class CursorCodec:
    def __init__(self, secret: bytes) -> None:
        self._signer = Signer(secret, "cursor")

    def encode(self, position: Position, binding: str) -> str:
        key = position.key.isoformat() if isinstance(position.key, datetime) else position.key
        return self._signer.dumps([_VERSION, binding, key, position.id])

    def decode(self, cursor: str, binding: str, sort: SortField) -> Position:
        """The position a cursor holds; InvalidCursor if it was altered or issued elsewhere."""
        try:
            version, bound_to, key, task_id = self._signer.loads(cursor)
            if version != _VERSION or bound_to != binding or type(task_id) is not int:
                raise ValueError("another listing")
            return Position(_key_for(sort, key), TaskId(task_id))
        except (ValueError, TypeError):
            raise InvalidCursor from None


def _key_for(sort: SortField, raw: object) -> datetime | int | str | float:
    # Only what this codec itself wrote gets here (the signature held): the checks guard
    # against a key issued by an older release for another sort.
    if sort in (SortField.CREATED_AT, SortField.UPDATED_AT, SortField.DUE_DATE):
        return datetime.fromisoformat(str(raw))
    if sort is SortField.PRIORITY and isinstance(raw, int):
        return raw
    if sort is SortField.TITLE and isinstance(raw, str):
        return raw
    if sort is SortField.RELEVANCE and isinstance(raw, int | float):
        return float(raw)
    raise ValueError("key of another sort")
