"""The credential changes a unit of work commits, told to this process's cache at once.

Postgres announces each change to every process (migration 0016, `credential_notices.py`), but
the notice reaches this process's listener a moment after the commit: a client whose logout or
account deletion was just answered could otherwise be served once more from the cache. The
repositories record what the trigger will announce (or more: a user's `u:` notice covers their
sessions and tokens), and the unit of work tells the cache when its commit succeeds.
"""

from __future__ import annotations

__all__ = ["ignore_change"]


def ignore_change(_notice: str) -> None:
    """For repositories used outside a unit of work that reports changes."""
