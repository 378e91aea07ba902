"""The one source of 'now' and 'today'.

CCHC_TODAY=YYYY-MM-DD pins the date (tests, snapshots, screenshots of the demo);
without it the workstation's clock in Vietnam's zone is used.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# The years an instant from a file may fall in, in UTC and in Vietnam's zone alike:
# a date-time such as 0001-01-01T00:00:00+23:59 parses, but has no UTC or local
# form within what datetime can hold, and would fail wherever it is shown.
FIRST_YEAR = 2000
LAST_YEAR = 2100


def _pinned_today() -> date | None:
    value = os.environ.get("CCHC_TODAY")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def now_utc() -> datetime:
    pinned = _pinned_today()
    if pinned is not None:
        return datetime.combine(pinned, time(9, 0), LOCAL_ZONE).astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def now_local() -> datetime:
    return now_utc().astimezone(LOCAL_ZONE)


def today() -> date:
    return now_local().date()


def to_local(instant: datetime) -> datetime:
    """A stored instant (UTC, maybe naive from SQLite) in Vietnam's zone."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(LOCAL_ZONE)


def parse_instant(value: str) -> datetime:
    """RFC 3339 with offset -> aware UTC, as stored."""
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=LOCAL_ZONE)
    return instant.astimezone(timezone.utc)


def checked_instant(value: str) -> datetime | None:
    """parse_instant() of an instant that came from a file, or None when it is not
    one, or falls outside FIRST_YEAR..LAST_YEAR in UTC or in Vietnam's zone."""
    both = _checked_utc_and_local(value)
    return None if both is None else both[0]


def checked_local_day(value: str) -> date | None:
    """The day in Vietnam's zone of checked_instant(value), or None when that is None
    (one conversion: the review's overview takes it for every unit at its start)."""
    both = _checked_utc_and_local(value)
    return None if both is None else both[1].date()


def _checked_utc_and_local(value: str) -> tuple[datetime, datetime] | None:
    try:
        instant = parse_instant(value)
        local = instant.astimezone(LOCAL_ZONE)
    except (ValueError, OverflowError):
        return None
    if not (FIRST_YEAR <= instant.year <= LAST_YEAR and FIRST_YEAR <= local.year <= LAST_YEAR):
        return None
    return instant, local


def format_instant(stored: datetime) -> str:
    """Stored UTC -> RFC 3339 in Vietnam's zone, seconds precision."""
    return to_local(stored).replace(microsecond=0).isoformat()
