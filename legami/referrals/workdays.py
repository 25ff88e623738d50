"""Working days in Italy, for service-level timers ("first contact within 5 working days").

National public holidays only: a comune's patron saint varies and is not in any register we
hold (docs/decisions.md).
"""

from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter

_FIXED = ((1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26))


@cache
def holidays(year: int) -> frozenset[date]:
    easter_monday = easter(year) + timedelta(days=1)
    return frozenset({date(year, month, day) for month, day in _FIXED} | {easter_monday})


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
