"""Rules shared by every free-text field."""

from __future__ import annotations

from todo_api.domain.errors import UnstorableText


def storable(text: str, field: str) -> str:
    """Return the text unchanged, refusing NUL characters, which no database column stores."""
    if "\x00" in text:
        raise UnstorableText(field=field)
    return text
