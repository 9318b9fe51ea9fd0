"""A user's time zone: an IANA name, in which their days, all-day dates and recurrences count."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import date, datetime, time, timedelta

from todo_api.domain.errors import InvalidTimezone
from todo_api.domain.text import ValidatedText

__all__ = ["UTC_ZONE", "TimeZoneName"]

MAX_ZONE_LENGTH = 64


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class TimeZoneName(ValidatedText):
    """An IANA time zone name such as `Europe/Berlin` or `UTC`."""

    __slots__ = ()

    @classmethod
    def validate(cls, raw: str) -> str:
        name = raw.strip()
        # Only names of the database, never a path (ZoneInfo would read any file it names).
        if len(name) > MAX_ZONE_LENGTH or name not in _known():
            raise InvalidTimezone
        return name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self)

    def start_of(self, day: date) -> datetime:
        """When `day` begins here (midnight, or the first moment after a DST gap)."""
        return datetime.combine(day, time(), self.zone)

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def start_of_next_day(self, moment: datetime) -> datetime:
        return self.start_of(self.day_of(moment) + timedelta(days=1))


UTC_ZONE = TimeZoneName("UTC")
