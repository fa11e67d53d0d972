"""Hooks the apps above `groups` fill in their `AppConfig.ready()`.

A group's public pages say when it next meets, but meetings belong to the meetings app,
which sits above groups. It registers here how to read a group's next scheduled meeting.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import DateTimeField, QuerySet, Value


@dataclass(frozen=True)
class NextMeeting:
    """`annotate(groups, now)` adds `next_meeting_at` to a queryset of groups (no query
    per group); `start(group, now)` is one group's next scheduled start, or None."""

    annotate: Callable[[QuerySet, datetime.datetime | None], QuerySet]
    start: Callable[[object, datetime.datetime | None], datetime.datetime | None]


_next_meeting: list[NextMeeting] = []


def next_meeting_register(source: NextMeeting) -> None:
    _next_meeting[:] = [source]


def next_meeting_annotate(groups: QuerySet, *, now: datetime.datetime | None = None) -> QuerySet:
    if not _next_meeting:
        return groups.annotate(next_meeting_at=Value(None, output_field=DateTimeField()))
    return _next_meeting[0].annotate(groups, now)


def next_meeting_start(group, *, now: datetime.datetime | None = None):
    return _next_meeting[0].start(group, now) if _next_meeting else None
