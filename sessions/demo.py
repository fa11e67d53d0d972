"""Demo meetings for `manage.py seed_demo`: a repeating series per demo group with the
coming weeks' meetings, and about a year of past meetings with attendance. Safe to rerun:
a group that already has a series or past meetings is left as it is."""

from __future__ import annotations

import datetime
import random

from django.db.models import Sum
from django.utils import timezone

from groups.models import Membership, PeerGroup
from sessions.models import Attendance, Meeting, MeetingSeries
from sessions.services import recurrence

# How a group's usual frequency becomes a series, and how many past meetings a year has.
_FREQUENCY = {
    PeerGroup.Frequency.WEEKLY: (MeetingSeries.Frequency.WEEKLY, 7),
    PeerGroup.Frequency.BIWEEKLY: (MeetingSeries.Frequency.BIWEEKLY, 14),
    PeerGroup.Frequency.MONTHLY: (MeetingSeries.Frequency.MONTHLY, 28),
}
PAST_DAYS = 364
# The first groups (by name) get a year of history; the rest only upcoming meetings.
HISTORY_GROUPS = 3


def _first_date(group: PeerGroup, today: datetime.date) -> datetime.date:
    """The group's usual weekday, from tomorrow on (so no meeting is created in the past)."""
    start = today + datetime.timedelta(days=1)
    return start + datetime.timedelta(days=(group.meeting_day - start.weekday()) % 7)


def completed_meetings_before(
    group: PeerGroup, day: datetime.date, since: datetime.date
) -> list[Meeting]:
    """Save completed meetings of `group` on its meeting days before `day`, back to (not
    including) `since`, stepping by its frequency; return them."""
    _frequency, every = _FREQUENCY[PeerGroup.Frequency(group.frequency)]
    meetings = []
    day -= datetime.timedelta(days=every)
    while day > since:
        starts = recurrence.local_to_aware(day, group.meeting_time, group.time_zone)
        meetings.append(
            Meeting(
                group=group,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=group.duration_minutes),
                time_zone=group.time_zone,
                format=group.format,
                capacity=group.capacity,
                status=Meeting.Status.COMPLETED,
            )
        )
        day -= datetime.timedelta(days=every)
    Meeting.objects.bulk_create(meetings)
    return meetings


def seed_series(group: PeerGroup, today: datetime.date) -> int:
    if MeetingSeries.objects.filter(group=group).exists():
        return 0
    frequency, _days = _FREQUENCY[PeerGroup.Frequency(group.frequency)]
    start = _first_date(group, today)
    facilitator = (
        Membership.objects.filter(group=group, role=Membership.Role.FACILITATOR, status="active")
        .values_list("user_id", flat=True)
        .first()
    )
    series = MeetingSeries.objects.create(
        group=group,
        frequency=frequency,
        weekday=group.meeting_day,
        nth=(start.day - 1) // 7 + 1 if frequency == MeetingSeries.Frequency.MONTHLY else None,
        start_date=start,
        start_time=group.meeting_time,
        time_zone=group.time_zone,
        duration_minutes=group.duration_minutes,
        until=start + datetime.timedelta(days=365),
        facilitator_id=facilitator,
    )
    return len(recurrence.series_materialise(series=series, today=today))


def seed_history(group: PeerGroup, today: datetime.date) -> int:
    """Completed meetings over the past year, with attendance for the group's members."""
    if Meeting.objects.filter(group=group, starts_at__lt=timezone.now()).exists():
        return 0
    people = list(
        Membership.objects.filter(group=group, status__in=["active", "on_break"]).values_list(
            "user_id", flat=True
        )
    )
    rng = random.Random(group.slug)  # the same history on every machine
    since = today - datetime.timedelta(days=PAST_DAYS)
    meetings = completed_meetings_before(group, _first_date(group, today), since)
    weights = [(Attendance.Status.PRESENT, 0.78), (Attendance.Status.ABSENT, 0.12)]
    marks = []
    for meeting in meetings:
        for user_id in people:
            roll = rng.random()
            status = Attendance.Status.EXCUSED
            if roll < weights[0][1]:
                status = Attendance.Status.PRESENT
            elif roll < weights[0][1] + weights[1][1]:
                status = Attendance.Status.ABSENT
            marks.append(
                Attendance(
                    meeting=meeting, user_id=user_id, status=status, marked_at=meeting.ends_at
                )
            )
    Attendance.objects.bulk_create(marks)
    return len(meetings)


def seed(out) -> None:
    today = timezone.localdate()
    groups = list(
        PeerGroup.objects.filter(
            status=PeerGroup.Status.ACTIVE, meeting_day__isnull=False, meeting_time__isnull=False
        ).order_by("name")
    )
    upcoming = past = 0
    demo = [g for g in groups if g.memberships.exists()][:HISTORY_GROUPS]
    for group in groups:
        upcoming += seed_series(group, today)
    for group in demo:
        past += seed_history(group, today)
    out.write(f"  {upcoming} upcoming meetings in repeating series, {past} past meetings")


# --- RSVPs, a waitlist and a community event ----------------------------------
_seed_meetings = seed


def seed(out) -> None:  # extends the meetings' seed above
    _seed_meetings(out)
    from sessions.demo_rsvp import seed as seed_rsvps

    seed_rsvps(out)


# --- Roles: willing members, past turns and the next meetings' roles ----------
_seed_before_roles = seed


def seed(out) -> None:  # extends the seeds above
    _seed_before_roles(out)
    from sessions.demo_roles import seed as seed_roles

    seed_roles(out)


# --- Agendas that fit their meetings ----------------------------------------------------
_seed_before_fitting = seed


def seed(out) -> None:  # extends the seeds above
    """A group's built-in agenda may be longer than its own meetings (the men's group
    meets 75 minutes): the upcoming demo meetings get theirs fitted to their length."""
    _seed_before_fitting(out)
    from sessions.services.agenda import agenda_fit_to_meeting

    too_long = (
        Meeting.objects.open()
        .annotate(planned=Sum("agenda_items__minutes"))
        .filter(planned__isnull=False)
    )
    fitted = sum(
        agenda_fit_to_meeting(meeting=meeting)
        for meeting in too_long.select_related("group")
        if meeting.planned > meeting.duration_minutes
    )
    out.write(f"  {fitted} agendas fitted to their meeting's length")
