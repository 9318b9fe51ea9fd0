"""The common-password list that ships with zxcvbn."""

from __future__ import annotations

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from todo_api.application.ports import PasswordBlocklist


class ZxcvbnPasswordBlocklist(PasswordBlocklist):
    """The 30,000 most common passwords of zxcvbn's corpus, compared case-insensitively."""

    def __init__(self) -> None:
        self._common = frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])

    def is_common(self, password: str) -> bool:
        return password.lower() in self._common
