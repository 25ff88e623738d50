"""Occurrences of recurring schedules (RFC 5545 rules, as HSDS and iCalendar hold them)."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

ROME = ZoneInfo("Europe/Rome")
WEEKDAYS = {
    "MO": rrule.MO,
    "TU": rrule.TU,
    "WE": rrule.WE,
    "TH": rrule.TH,
    "FR": rrule.FR,
    "SA": rrule.SA,
    "SU": rrule.SU,
}
DAY_CODES = tuple(WEEKDAYS)
# An open-ended rule must occur at least once in this horizon to be accepted.
HORIZON_DAYS = 366 * 2
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


class RuleError(ValueError):
    """A rule that cannot be read; the message names the part that is wrong."""


def parse_byday(value: str, *, monthly: bool) -> list:
    days = []
    for part in filter(None, (p.strip().upper() for p in (value or "").split(","))):
        match = _BYDAY.match(part)
        if not match:
            raise RuleError(part)
        position, code = match.groups()
        if position and not monthly:
            raise RuleError(part)
        days.append(WEEKDAYS[code](int(position)) if position else WEEKDAYS[code])
    return days


def parse_monthdays(value: str) -> list[int]:
    days = []
    for part in filter(None, (p.strip() for p in (value or "").split(","))):
        try:
            day = int(part)
        except ValueError:
            raise RuleError(part) from None
        if not (1 <= abs(day) <= 31):
            raise RuleError(part)
        days.append(day)
    return days


def weekday_codes(byday: str) -> set[str]:
    """The plain weekday codes a rule touches ("1SA,-1FR" -> {"SA", "FR"})."""
    return {part.strip().upper()[-2:] for part in (byday or "").split(",") if part.strip()}


def rule(schedule, *, start: datetime | None = None) -> rrule.rrule:
    monthly = schedule.freq == "MONTHLY"
    dtstart = datetime.combine(schedule.valid_from, schedule.opens_at)
    until = datetime.combine(schedule.valid_to, time(23, 59)) if schedule.valid_to else None
    byweekday = parse_byday(schedule.byday, monthly=monthly) or None
    bymonthday = parse_monthdays(schedule.bymonthday) or None
    if byweekday is None and bymonthday is None:
        if monthly:
            bymonthday = [schedule.valid_from.day]
        else:
            byweekday = [list(WEEKDAYS.values())[schedule.valid_from.weekday()]]
    return rrule.rrule(
        rrule.MONTHLY if monthly else rrule.WEEKLY,
        interval=schedule.interval or 1,
        dtstart=dtstart,
        until=until,
        byweekday=byweekday,
        bymonthday=bymonthday,
    )


def occurrences(schedule, *, after: datetime, limit: int, excluded: set[date] = frozenset()):
    """The next `limit` sessions of `schedule` starting at or after `after` (aware, Rome time),
    skipping `excluded` dates. Yields (start, end) aware datetimes."""
    naive_after = after.astimezone(ROME).replace(tzinfo=None)
    duration = datetime.combine(date.min, schedule.closes_at) - datetime.combine(
        date.min, schedule.opens_at
    )
    found = 0
    for start in rule(schedule).xafter(naive_after, inc=True):
        if start.date() in excluded:
            continue
        yield start.replace(tzinfo=ROME), (start + duration).replace(tzinfo=ROME)
        found += 1
        if found >= limit:
            return


def ever_occurs(schedule) -> bool:
    horizon = datetime.combine(schedule.valid_from, time.min) + timedelta(days=HORIZON_DAYS)
    first = rule(schedule).after(datetime.combine(schedule.valid_from, time.min), inc=True)
    return first is not None and first <= horizon


def dates_between(schedule, *, since: date, until: date, excluded: set[date] = frozenset()):
    """The dates from `since` to `until` (both included) on which `schedule` holds a session,
    skipping `excluded` dates."""
    starts = rule(schedule).between(
        datetime.combine(since, time.min), datetime.combine(until, time.max), inc=True
    )
    return [start.date() for start in starts if start.date() not in excluded]
