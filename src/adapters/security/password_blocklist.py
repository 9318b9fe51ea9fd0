"""Refusing guessable passwords with zxcvbn: its common-password list and its guess estimate."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from todo_api.application.ports import PasswordBlocklist

# zxcvbn refuses to score longer inputs; passwords that long are passphrases, not guesses.
_ZXCVBN_MAX_LENGTH = 72


class ZxcvbnPasswordBlocklist(PasswordBlocklist):
    """The 30,000 most common passwords of zxcvbn's corpus, compared case-insensitively, and
    any password zxcvbn scores 0 ("too guessable") given the user's own email and name.

    zxcvbn and its word lists (about 13 MB per process) load at the first password checked:
    a server worker that only serves requests with a token never needs them.
    """

    def is_common(self, password: str, user_inputs: Sequence[str] = ()) -> bool:
        if password.lower() in _common_passwords():
            return True
        if len(password) > _ZXCVBN_MAX_LENGTH:
            return False
        from zxcvbn import zxcvbn

        return int(zxcvbn(password, user_inputs=list(user_inputs))["score"]) == 0


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])
