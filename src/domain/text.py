"""Rules shared by every free-text field, and the base of the text value objects."""

from __future__ import annotations

import unicodedata
from typing import Self

from todo_api.domain.errors import UnstorableText

__all__ = ["ValidatedText", "has_visible_character", "storable"]

# Format and control characters (zero-width space, joiners, BOM, bidi marks), separators, and
# the letters that render as blank (Hangul fillers, braille blank).
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def storable(text: str, field: str) -> str:
    """Return the text unchanged, refusing NUL characters, which no database column stores."""
    if "\x00" in text:
        raise UnstorableText(field=field)
    return text


def has_visible_character(text: str) -> bool:
    """Whether anything would show: text of only spaces and invisible characters is empty."""
    return any(
        unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _BLANK_LETTERS
        for c in text
    )


class ValidatedText(str):
    """Text that validates (and normalises) itself once, when it is made.

    It is a `str`, so it compares, sorts, hashes and is stored as one; its type says it passed
    its rule. Making one from a value of the same type returns that value as it is.
    """

    __slots__ = ()

    def __new__(cls, raw: str) -> Self:
        if type(raw) is cls:
            return raw
        return super().__new__(cls, cls.validate(str(raw)))

    @classmethod
    def validate(cls, raw: str) -> str:
        """Return the normalised text, or raise the contract's error for this field."""
        raise NotImplementedError

    @classmethod
    def stored(cls, value: str) -> Self:
        """A value read back from storage, which was validated on its way in."""
        return str.__new__(cls, value)
