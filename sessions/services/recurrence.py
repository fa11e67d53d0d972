"""Recurring meetings: rules in the group's local wall-clock time, occurrences as real rows.

Occurrence dates come from python-dateutil's rrule, computed on LOCAL dates; each date is
combined with the series' local start time and only then given the zone, so a meeting at
18:30 stays at 18:30 across daylight-saving changes (its UTC time moves instead).

Occurrences exist as Meeting rows for a rolling window (`WINDOW_WEEKS`) so each one can
be edited, moved or cancelled alone; `series_extend_due` (a periodic task) moves the
window on. The (series, series_date) unique constraint makes materialising idempotent.
"""

from __future__ import annotations

import datetime
import zoneinfo

from dateutil import rrule
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sessions.models import Meeting, MeetingSeries
from sessions.services import agenda

WINDOW_WEEKS = 12
# A series that starts beyond the window still gets its first meetings at once, so the
# facilitator sees (and members can answer for) real dates straight away.
FIRST_OCCURRENCES = 4
EXTEND_BATCH_SIZE = 200
# A series must end: at most this many meetings, and a last date within two years.
MAX_COUNT = 104
MAX_SPAN_DAYS = 731

_FREQ = {
    MeetingSeries.Frequency.WEEKLY: (rrule.WEEKLY, 1),
    MeetingSeries.Frequency.BIWEEKLY: (rrule.WEEKLY, 2),
    MeetingSeries.Frequency.MONTHLY: (rrule.MONTHLY, 1),
}
_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def local_to_aware(day: datetime.date, at: datetime.time, zone_name: str) -> datetime.datetime:
    """The aware datetime for local wall-clock `day` `at` in `zone_name`.

    Deliberate choices for the two daylight-saving edge cases:
    - a time that does not exist (02:30 on spring-forward day) moves forward by the gap
      (03:30), the time a clock on the wall shows an hour "after" 02:30 standard time;
    - a time that happens twice (01:30 on fall-back day) is the first one (fold=0).
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    naive = datetime.datetime.combine(day, at)
    candidate = naive.replace(tzinfo=zone, fold=0)
    # Round-tripping through UTC reveals a nonexistent time: the wall clock changes.
    resolved = candidate.astimezone(datetime.UTC).astimezone(zone)
    if resolved.replace(tzinfo=None) != naive:
        return resolved  # fold=0 uses the offset before the gap: shifted forward by it
    return candidate


def series_rule(series: MeetingSeries) -> rrule.rrule:
    """The series' rule over local dates (midnight), ending by count or last date."""
    freq, interval = _FREQ[MeetingSeries.Frequency(series.frequency)]
    weekday = _WEEKDAYS[series.weekday]
    if freq == rrule.MONTHLY:
        # MO(+5) yields only months that have a fifth Monday; MO(-1) is the last one.
        weekday = weekday(series.nth or 1)
    end = {"count": series.count} if series.count else {}
    if series.until and not series.count:
        end = {"until": datetime.datetime.combine(series.until, datetime.time.min)}
    return rrule.rrule(
        freq,
        interval=interval,
        byweekday=weekday,
        dtstart=datetime.datetime.combine(series.start_date, datetime.time.min),
        **end,
    )


def series_dates(
    series: MeetingSeries, *, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """Local dates of the series' occurrences from `start` to `end`, both included."""
    lo = datetime.datetime.combine(start, datetime.time.min)
    hi = datetime.datetime.combine(end, datetime.time.min)
    return [moment.date() for moment in series_rule(series).between(lo, hi, inc=True)]


def series_occurrence_times(
    series: MeetingSeries, day: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end (aware) of the occurrence on local date `day`."""
    starts = local_to_aware(day, series.start_time, series.time_zone)
    return starts, starts + datetime.timedelta(minutes=series.duration_minutes)


def window_end(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(weeks=WINDOW_WEEKS)


@transaction.atomic
def series_materialise(
    *, series: MeetingSeries, today: datetime.date | None = None
) -> list[Meeting]:
    """Create the missing occurrences up to the end of the window; returns the new ones.

    Never re-creates a date that already has a row (moved, cancelled or detached ones
    keep their `series_date`), and never creates meetings in the past.
    """
    series = MeetingSeries.objects.select_for_update().select_related("group").get(pk=series.pk)
    today = today or timezone.localdate()
    horizon = window_end(today)
    start = max(series.start_date, today)
    existing = set(
        Meeting.objects.filter(series=series, series_date__gte=start).values_list(
            "series_date", flat=True
        )
    )
    days = series_dates(series, start=start, end=horizon)
    if len(days) < FIRST_OCCURRENCES:
        days = series_upcoming_dates(series, start=start, limit=FIRST_OCCURRENCES)
    created = []
    for day in days:
        if day in existing:
            continue
        meeting = _occurrence_create(series=series, day=day)
        if meeting is not None:
            created.append(meeting)
    series.materialised_until = max([horizon, *days])
    series.save(update_fields=["materialised_until"])
    return created


def series_upcoming_dates(
    series: MeetingSeries, *, start: datetime.date, limit: int
) -> list[datetime.date]:
    """The series' first `limit` local dates on or after `start` (fewer if it ends)."""
    after = datetime.datetime.combine(start, datetime.time.min)
    return [moment.date() for moment in series_rule(series).xafter(after, count=limit, inc=True)]


def _occurrence_create(*, series: MeetingSeries, day: datetime.date) -> Meeting | None:
    group = series.group
    starts, ends = series_occurrence_times(series, day)
    fmt = series.format or group.format
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                group=group,
                series=series,
                series_date=day,
                starts_at=starts,
                ends_at=ends,
                time_zone=series.time_zone,
                topic=series.topic,
                format=fmt,
                place=series.place,
                online_link=series.online_link,
                capacity=series.capacity or group.capacity,
                online_capacity=series.online_capacity if fmt == "hybrid" else None,
                facilitator=series.facilitator,
                access_features=series.access_features,
            )
    except IntegrityError:
        return None  # another worker made this occurrence a moment ago
    agenda.agenda_start_from_default(meeting=meeting)  # the group's default agenda
    return meeting


def series_extend_due(*, today: datetime.date | None = None) -> int:
    """Move every live series' window on; returns how many meetings were created.

    Selects due series (window not yet reaching the horizon, not ended) in batches by
    primary key; each series is locked and stamped (`materialised_until`), so a rerun or
    a second worker finds nothing left to do.
    """
    today = today or timezone.localdate()
    horizon = window_end(today)
    due = MeetingSeries.objects.filter(
        Q(materialised_until__isnull=True) | Q(materialised_until__lt=horizon),
        Q(until__isnull=True) | Q(until__gte=today),
    ).order_by("pk")
    created, last_pk = 0, 0
    while True:
        batch = list(due.filter(pk__gt=last_pk)[:EXTEND_BATCH_SIZE])
        if not batch:
            return created
        for series in batch:
            created += len(series_materialise(series=series, today=today))
        last_pk = batch[-1].pk
