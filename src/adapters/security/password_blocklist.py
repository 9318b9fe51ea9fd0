"""Refusing guessable passwords with zxcvbn: its common-password list and its guess estimate."""

from __future__ import annotations

from collections.abc import Sequence

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from todo_api.application.ports import PasswordBlocklist

# zxcvbn refuses to score longer inputs; passwords that long are passphrases, not guesses.
_ZXCVBN_MAX_LENGTH = 72


class ZxcvbnPasswordBlocklist(PasswordBlocklist):
    """The 30,000 most common passwords of zxcvbn's corpus, compared case-insensitively, and
    any password zxcvbn scores 0 ("too guessable") given the user's own email and name."""

    def __init__(self) -> None:
        self._common = frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])

    def is_common(self, password: str, user_inputs: Sequence[str] = ()) -> bool:
        if password.lower() in self._common:
            return True
        if len(password) > _ZXCVBN_MAX_LENGTH:
            return False
        return int(zxcvbn(password, user_inputs=list(user_inputs))["score"]) == 0
