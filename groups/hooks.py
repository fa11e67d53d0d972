"""Hooks the apps above `groups` fill in their `AppConfig.ready()`.

A group's public pages say when it next meets, but meetings belong to the meetings app,
which sits above groups. It registers here how to read a group's next scheduled meeting.
The directory shows, under its own groups, sections other apps add (nearby groups read
from other organisations' meeting finder feeds).
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


@dataclass(frozen=True)
class DirectorySection:
    """`read(filters)` returns the context of `template` under the directory's results,
    or None to show nothing. What it reads must be renewed with "public:directory"."""

    template: str
    read: Callable[[object], dict | None]


_directory_sections: dict[str, DirectorySection] = {}


def directory_section_register(name: str, section: DirectorySection) -> None:
    _directory_sections[name] = section


def directory_sections(filters) -> list[tuple[str, dict]]:
    """(template, context) of each registered section that has something to show."""
    found = []
    for section in _directory_sections.values():
        context = section.read(filters)
        if context is not None:
            found.append((section.template, context))
    return found
