"""Quiet hours: the hours of a member's night (in their own time zone) when no email of
theirs is sent. A message due then is held, not dropped, and sent once they end."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from members.notifications.kinds import KINDS


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_until(
    *, start: datetime.time, end: datetime.time, zone: str, now: datetime.datetime
) -> datetime.datetime | None:
    """When the quiet hours from `start` to `end` (local wall-clock times in `zone`; past
    midnight when `end` is earlier) that `now` falls in end, as an aware time; None when
    `now` is outside them."""
    if start == end:
        return None
    tz = _zone(zone)
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    # From 22:00 until 07:00 runs past midnight.
    inside = start <= clock < end if start < end else clock >= start or clock < end
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + datetime.timedelta(days=1)
    # A wall-clock time skipped by a DST change reads as the moment after the gap.
    ends = datetime.datetime.combine(day, end, tzinfo=tz).astimezone(datetime.UTC)
    return ends if ends > now else None


def held_until(*, kind: str, preference, zone: str, now: datetime.datetime):
    """When an email of `kind` may go out if it would go now inside the member's quiet
    hours (None: it may go now). Urgent kinds (safeguarding, to people who help run a
    group) are not held unless the member chose to hold them too."""
    if preference is None or not preference.has_quiet_hours:
        return None
    spec = KINDS.get(kind)
    if spec is not None and spec.urgent and not preference.quiet_holds_urgent:
        return None
    return quiet_until(start=preference.quiet_from, end=preference.quiet_until, zone=zone, now=now)
