"""VTIMEZONE blocks that hold for any date: the zone's rule as a yearly RRULE.

icalendar's `Timezone.from_tzid` lists every transition from 1970 to 2037 and no rule, so
readers go wrong after 2037, and some (vobject) read such a list an hour off for half the
year. The tz database already states each zone's current rule as a POSIX TZ string (the
footer of its TZif file, RFC 8536 3.3), e.g. `GMT0BST,M3.5.0/1,M10.5.0`: we write that
rule as one STANDARD and one DAYLIGHT component with `RRULE:FREQ=YEARLY`, starting in
1970. Dates before the zone adopted its current rule are read with today's rule (a feed
holds recent and coming meetings only).

Where the rule cannot be written as a plain RRULE (a change at a time outside 0-24h, a
Julian-day rule, or a zone whose coming changes are listed one by one, like Morocco's),
icalendar's transition list is used as before.
"""

from __future__ import annotations

import datetime
import importlib.resources
import re
import zoneinfo
from pathlib import Path

import icalendar

_NAME = r"(<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"([+-]?\d{1,2}(?::\d{2}){0,2})"
_RULE = r"M(\d{1,2})\.(\d)\.(\d)(?:/([+-]?\d{1,3}(?::\d{2}){0,2}))?"
POSIX = re.compile(rf"^{_NAME}{_OFFSET}(?:{_NAME}{_OFFSET}?,{_RULE},{_RULE})?$")
DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
START_YEAR = 1970


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")]
    parts += [0] * (3 - len(parts))
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def _name(text: str) -> str:
    return text.strip("<>")


def posix_rule(key: str) -> str:
    """The POSIX TZ string at the end of the zone's TZif file ("" if none is found)."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder, key)
        if path.is_file():
            data = path.read_bytes()
            break
    else:
        try:
            data = importlib.resources.files("tzdata.zoneinfo").joinpath(*key.split("/"))
            data = data.read_bytes()
        except (ModuleNotFoundError, FileNotFoundError, OSError):
            return ""
    if not data.startswith(b"TZif") or data[4:5] < b"2":
        return ""
    return data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii", "replace")


def _onset(year: int, month: int, week: int, day: int, seconds: int) -> datetime.datetime:
    """The local wall time of `Mmonth.week.day/time` in `year` (week 5 is the last)."""
    first = datetime.date(year, month, 1)
    python_day = (day - 1) % 7  # POSIX 0 is Sunday, Python 0 is Monday
    date = first + datetime.timedelta(days=(python_day - first.weekday()) % 7)
    date += datetime.timedelta(weeks=week - 1)
    while date.month != month:  # "week 5": the last such day of the month
        date -= datetime.timedelta(weeks=1)
    return datetime.datetime.combine(date, datetime.time()) + datetime.timedelta(seconds=seconds)


def _byday(week: int, day: int) -> str:
    return f"{-1 if week == 5 else week}{DAYS[day]}"


def _steady(key: str, offset: int) -> bool:
    """True when the zone keeps `offset` from now on (no listed changes ahead)."""
    zone = zoneinfo.ZoneInfo(key)
    now = datetime.datetime.now(datetime.UTC)
    return all(
        (now + datetime.timedelta(days=days)).astimezone(zone).utcoffset()
        == datetime.timedelta(seconds=offset)
        for days in range(0, 366 * 3, 15)
    )


def _component(kind, *, name: str, start, before: int, after: int, rrule=None):
    component = kind()
    component.add("tzname", name)
    component.add("dtstart", start)
    component.add("tzoffsetfrom", datetime.timedelta(seconds=before))
    component.add("tzoffsetto", datetime.timedelta(seconds=after))
    if rrule:
        component.add("rrule", rrule)
    return component


def vtimezone_with_rule(key: str) -> icalendar.Timezone | None:
    """The zone's VTIMEZONE from its current rule, or None if the rule does not fit."""
    match = POSIX.match(posix_rule(key))
    if match is None:
        return None
    std_name, std_offset, dst_name, dst_offset = match.group(1, 2, 3, 4)
    std = -_seconds(std_offset)  # POSIX offsets count west of Greenwich
    timezone = icalendar.Timezone()
    timezone.add("tzid", key)
    if dst_name is None:
        if not _steady(key, std):
            return None
        timezone.add_component(
            _component(
                icalendar.TimezoneStandard,
                name=_name(std_name),
                start=datetime.datetime(START_YEAR, 1, 1),
                before=std,
                after=std,
            )
        )
        return timezone
    dst = -_seconds(dst_offset) if dst_offset else std + 3600
    rules = match.groups()[4:]
    start_rule, end_rule = rules[:4], rules[4:]
    changes = []
    for (month, week, day, time), before, after, name in (
        (start_rule, std, dst, dst_name),
        (end_rule, dst, std, std_name),
    ):
        seconds = _seconds(time) if time else 7200
        month, week, day = int(month), int(week), int(day)
        if not (0 <= seconds < 86400 and 1 <= month <= 12 and 1 <= week <= 5 and day <= 6):
            return None
        changes.append((month, week, day, seconds, before, after, _name(name)))
    for month, week, day, seconds, before, after, name in changes:
        # The larger offset is the "daylight" one (Dublin's summer time is its standard).
        kind = icalendar.TimezoneDaylight if after > before else icalendar.TimezoneStandard
        timezone.add_component(
            _component(
                kind,
                name=name,
                start=_onset(START_YEAR, month, week, day, seconds),
                before=before,
                after=after,
                rrule={"freq": "yearly", "bymonth": month, "byday": _byday(week, day)},
            )
        )
    return timezone
