"""Cursors of cursor pages: opaque to clients, signed so a changed one is refused.

A cursor carries where the last page ended (its last task's sort key and id) and what it was
issued for (the listing's sort and filters). Clients cannot forge a position into another
listing, nor read one: the payload is signed with a key derived from the service's secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime

from todo_api.application.errors import InvalidCursor
from todo_api.application.listing import Position, SortField
from todo_api.domain.ids import TaskId

__all__ = ["CursorCodec"]

_VERSION = 1
_SIGNATURE_BYTES = 16
_MAX_CURSOR_LENGTH = 1024


class CursorCodec:
    def __init__(self, secret: bytes) -> None:
        # A key of its own: a cursor signature must never double as anything else's.
        self._key = hashlib.sha256(b"todo-api cursor key\x00" + secret).digest()

    def encode(self, position: Position, binding: str) -> str:
        key = position.key.isoformat() if isinstance(position.key, datetime) else position.key
        payload = json.dumps([_VERSION, binding, key, position.id], separators=(",", ":")).encode()
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def decode(self, cursor: str, binding: str, sort: SortField) -> Position:
        """The position a cursor holds; InvalidCursor if it was altered or issued elsewhere."""
        try:
            if len(cursor) > _MAX_CURSOR_LENGTH:
                raise ValueError("too long")
            encoded_payload, encoded_signature = cursor.split(".")
            payload = _unb64(encoded_payload)
            if not hmac.compare_digest(_unb64(encoded_signature), self._sign(payload)):
                raise ValueError("signature")
            version, bound_to, key, task_id = json.loads(payload)
            if version != _VERSION or bound_to != binding or type(task_id) is not int:
                raise ValueError("another listing")
            return Position(_key_for(sort, key), TaskId(task_id))
        except (ValueError, TypeError, binascii.Error):
            raise InvalidCursor from None

    def _sign(self, payload: bytes) -> bytes:
        return hmac.digest(self._key, payload, "sha256")[:_SIGNATURE_BYTES]


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


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii") + b"=" * (-len(text) % 4))
