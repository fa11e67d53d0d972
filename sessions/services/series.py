"""A repeating series as one thing: its dates, changing or cancelling it from a date on.

Changing or cancelling many meetings at once tells each member once, listing the dates,
instead of one email per meeting.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.notifications import notify
from peersupport.errors import DomainError
from peersupport.tasks import enqueue_on_commit
from sessions.models import Meeting, MeetingSeries, Rsvp
from sessions.services import calendar, meetings, recurrence


@dataclass(frozen=True)
class SeriesDate:
    """One date of a series and its meeting row when it exists (None: not made yet)."""

    day: datetime.date
    meeting: Meeting | None


def series_schedule(*, series: MeetingSeries) -> list[SeriesDate]:
    """Every date of the series from its first to its last (at most MAX_COUNT), with the
    meetings made so far; a meeting moved off its date is listed under its series date."""
    days = recurrence.series_dates(
        series, start=series.start_date, end=meetings.series_last_possible(series)
    )[: recurrence.MAX_COUNT]
    made = {m.series_date: m for m in Meeting.objects.filter(series=series).order_by("starts_at")}
    days = sorted(set(days) | set(made))
    return [SeriesDate(day=day, meeting=made.get(day)) for day in days]


def series_cancellable_dates(*, series: MeetingSeries) -> list[datetime.date]:
    """Dates a facilitator may cancel the series from: those still to come."""
    today = timezone.localdate()
    return [
        row.day
        for row in series_schedule(series=series)
        if row.day >= today and (row.meeting is None or row.meeting.is_open)
    ]


@transaction.atomic
def series_cancel_from(
    *, series: MeetingSeries, by, from_date: datetime.date, reason: str
) -> list[Meeting]:
    """End the series before `from_date` and cancel its meetings from then on, in one step.

    Each active member of the group gets one email listing the cancelled dates (with the
    calendar cancellations attached), not one per meeting. Returns the cancelled meetings.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please say why the meetings are cancelled: members will see it."))
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    if from_date not in series_cancellable_dates(series=series):
        raise DomainError(_("Choose one of the series' dates still to come."))
    series.until, series.count = from_date - datetime.timedelta(days=1), None
    series.save(update_fields=["until", "count"])
    cancelled = list(
        Meeting.objects.open()
        .select_for_update()
        .filter(series=series, series_date__gte=from_date)
        .order_by("starts_at")
    )
    now = timezone.now()
    for meeting in cancelled:
        before = calendar.meeting_shown(meeting)
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancel_reason = reason
        # The series email below tells everyone; no email per meeting.
        meeting.cancellation_sent_at = now
        meeting.save(
            update_fields=["status", "cancel_reason", "cancellation_sent_at", "updated_at"]
        )
        meetings.meeting_changes_follow(meeting, before=before)
    if cancelled:
        # The tasks module imports this one (a task calls a service): imported on use.
        from sessions.tasks import send_series_cancelled

        enqueue_on_commit(
            send_series_cancelled, series.pk, from_date.isoformat(), [m.pk for m in cancelled]
        )
    return cancelled


@transaction.atomic
def series_send_cancelled(*, series_id: int, from_date: str, meeting_ids: list[int]) -> int:
    """One email per active member for a series cancelled from a date; returns how many."""

    series = MeetingSeries.objects.select_related("group").filter(pk=series_id).first()
    if series is None:
        return 0
    cancelled = list(Meeting.objects.filter(pk__in=meeting_ids).order_by("starts_at"))
    if not cancelled:
        return 0
    queued = 0
    for membership in meetings.meeting_cancellation_recipients(cancelled[0]):
        user = membership.user
        queued += notify(
            kind="session_cancelled",
            recipient=user,
            about=series,
            key=f"from:{from_date}",
            context={
                "user": user,
                "cancelled": cancelled,
                "reason": cancelled[0].cancel_reason,
                "group_name": "" if user.discreet_mode else series.group.name,
                "meeting_url": settings.SITE_URL + cancelled[0].get_absolute_url(),
            },
            attachments=[
                calendar.meeting_cancellation_attachment(meeting=m, user=user) for m in cancelled
            ],
        )
    return queued


@transaction.atomic
def series_update_from(
    *,
    meeting: Meeting,
    by,
    day: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    details: meetings.MeetingDetails,
) -> Meeting:
    """Change this meeting and every following one of its series in one step.

    The people going to (or waiting for) any of them get one email listing their changed
    meetings with the updated invites, instead of one per meeting.
    """
    changes: dict[int, int] = {}
    first = meetings.series_update_following(
        meeting=meeting,
        by=by,
        day=day,
        start_time=start_time,
        duration_minutes=duration_minutes,
        details=details,
        changes=changes,
    )
    if changes:
        # The tasks module imports this one (a task calls a service): imported on use.
        from sessions.tasks import send_series_changed

        enqueue_on_commit(
            send_series_changed, first.series_id, sorted(changes), max(changes.values())
        )
    return first


@transaction.atomic
def series_send_changed(*, series_id: int, meeting_ids: list[int], sequence: int) -> int:
    """One `session_changed` email per member going or waiting to any of the meetings."""

    series = MeetingSeries.objects.filter(pk=series_id).first()
    if series is None:
        return 0
    rsvps = (
        Rsvp.objects.filter(
            meeting__in=Meeting.objects.open().filter(pk__in=meeting_ids),
            status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
        )
        .select_related("user", "meeting__group")
        .order_by("meeting__starts_at")
    )
    by_user: dict[int, list[Rsvp]] = defaultdict(list)
    for rsvp in rsvps:
        by_user[rsvp.user_id].append(rsvp)
    for answers in by_user.values():
        user, first = answers[0].user, answers[0].meeting
        notify(
            kind="session_changed",
            recipient=user,
            about=series,
            # One email per change of the series (the highest SEQUENCE it reached).
            key=f"series-change:{meeting_ids[0]}:{sequence}",
            context={
                **calendar.meeting_email_context(meeting=first, user=user),
                "changed": [rsvp.meeting for rsvp in answers],
                "waiting": all(r.status == Rsvp.Status.WAITLISTED for r in answers),
            },
            attachments=[
                calendar.meeting_attachment(meeting=rsvp.meeting, user=user) for rsvp in answers
            ],
        )
    return len(by_user)
