"""Working days in Vietnam: weekends, public holidays (Tết included) and the
government's announced swaps from the `holidays` package, plus the days off and
make-up working Saturdays the supervisor lists in config.toml ([calendar]).

Deadlines stay calendar dates (the letters set them so); this only says whether a
deadline falls on a day off and how many working days are left before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# What a day off is, for the screens to word: the supervisor listed it, a public
# holiday (its name from the package), or a Saturday or Sunday.
OFF_EXTRA = "extra"
OFF_HOLIDAY = "holiday"
OFF_WEEKEND = "weekend"
# The holidays package names the days in these languages.
HOLIDAY_LANGUAGES = {"vi": "vi", "en": "en_US"}


@dataclass(frozen=True)
class DayOff:
    kind: str  # OFF_EXTRA | OFF_HOLIDAY | OFF_WEEKEND
    name: str = ""  # a holiday's name


@lru_cache(maxsize=8)
def _vietnam(language: str) -> Any:
    import holidays

    # Years are filled in as they are asked for (expand=True is the default).
    return holidays.country_holidays("VN", language=HOLIDAY_LANGUAGES.get(language, "en_US"))


@dataclass(frozen=True)
class WorkCalendar:
    """Vietnam's working days with the supervisor's additions: `days_off` are
    extra days off, `working_days` weekend days worked (make-up Saturdays) that
    the package does not know yet."""

    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    working_days: frozenset[dt.date] = field(default_factory=frozenset)
    language: str = "vi"

    @classmethod
    def of(cls, days_off: Iterable[dt.date] = (), working_days: Iterable[dt.date] = (),
           language: str = "vi") -> WorkCalendar:
        return cls(frozenset(days_off), frozenset(working_days), language)

    def day_off(self, day: dt.date) -> DayOff | None:
        """Why `day` is not a working day; None when it is one."""
        if day in self.working_days:
            return None
        if day in self.days_off:
            return DayOff(OFF_EXTRA)
        vietnam = _vietnam(self.language)
        name = vietnam.get(day)
        if name is not None:
            return DayOff(OFF_HOLIDAY, name)
        if day.weekday() >= 5 and day not in vietnam.weekend_workdays:
            return DayOff(OFF_WEEKEND)
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_off(day) is None

    def working_days_left(self, today: dt.date, due: dt.date) -> int:
        """Working days after today up to and including the deadline (0 when it is
        today or past): what 'N days left' is in calendar days."""
        days = (due - today).days
        return sum(self.is_working_day(today + dt.timedelta(days=step))
                   for step in range(1, days + 1))
