"""Scheduling, editing, moving, cancelling and completing meetings; facilitator notes."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership, Organisation, PeerGroup
from members.notifications import notify
from peersupport.errors import DomainError
from peersupport.tasks import enqueue_on_commit
from sessions.models import Meeting, MeetingNote, MeetingSeries
from sessions.services import agenda, calendar, recurrence
from sessions.tasks_rsvp import fill_free_seats, send_meeting_changed

# The project has one domain error type; meetings services raise it under this name.
MeetingsError = DomainError


@dataclass(frozen=True)
class MeetingDetails:
    """What a facilitator sets for a meeting (or for every meeting of a series)."""

    topic: str = ""
    format: str = ""
    place: str = ""
    online_link: str = ""
    capacity: int | None = None
    online_capacity: int | None = None
    facilitator_id: int | None = None
    access_features: tuple[str, ...] = ()  # empty: the group's


@dataclass(frozen=True)
class Recurrence:
    frequency: str
    nth: int | None = None
    until: datetime.date | None = None
    count: int | None = None


def meeting_changes_follow(
    meeting: Meeting, *, before: dict[str, object], batched: dict[int, int] | None = None
) -> None:
    """What follows a saved change to a meeting, in order; `before` is its `meeting_shown`.

    1. A change to what calendars show raises the SEQUENCE, so they update the entry.
    2. The people going and waiting get the updated invite after commit, unless the change
       only moved the status (a cancellation has its own email, with METHOD:CANCEL), or
       the caller collects the changes (`batched`: meeting id -> new sequence) to send one
       email per member for many meetings.
    3. Seats changed: the waitlist fills any that are free, after commit.
    A re-save that changes none of these does nothing.
    """
    changed = calendar.meeting_shown_changes(meeting, before)
    if changed & calendar.CALENDAR_FIELDS:
        sequence = calendar.sequence_bump(meeting=meeting)
        if batched is not None:
            batched[meeting.pk] = sequence
        elif meeting.status == Meeting.Status.SCHEDULED and changed - {"status"}:
            enqueue_on_commit(send_meeting_changed, meeting.pk, sequence)
    if changed & calendar.CAPACITY_FIELDS:
        enqueue_on_commit(fill_free_seats, meeting.pk)


def _check_times(*, starts: datetime.datetime, duration_minutes: int) -> None:
    if duration_minutes <= 0:
        raise MeetingsError(_("A meeting must end after it starts."))
    if starts <= timezone.now():
        raise MeetingsError(_("Choose a time in the future."))


def _check_recurrence(*, start_date: datetime.date, rule: Recurrence) -> None:
    if not rule.until and not rule.count:
        raise MeetingsError(
            _("A repeating series needs an end: choose a last date or a number of meetings.")
        )
    if rule.count is not None and not 1 <= rule.count <= recurrence.MAX_COUNT:
        raise MeetingsError(
            _("A series can have between 1 and %(max)d meetings.") % {"max": recurrence.MAX_COUNT}
        )
    if rule.until is not None:
        if rule.until < start_date:
            raise MeetingsError(_("The last date must be on or after the first meeting."))
        if (rule.until - start_date).days > recurrence.MAX_SPAN_DAYS:
            raise MeetingsError(_("A series can run for at most two years; start a new one then."))


def _details_fields(*, group: PeerGroup, details: MeetingDetails) -> dict:
    fmt = details.format or group.format
    return {
        "topic": details.topic,
        "format": fmt,
        "place": details.place,
        "online_link": details.online_link,
        "capacity": details.capacity or group.capacity,
        "online_capacity": details.online_capacity if fmt == PeerGroup.Format.HYBRID else None,
        "facilitator_id": details.facilitator_id,
        "access_features": list(details.access_features),
    }


@transaction.atomic
def meeting_create(
    *,
    group: PeerGroup,
    by,
    day: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    details: MeetingDetails,
) -> Meeting:
    """Schedule one meeting at local `day` `start_time` in the group's zone."""
    starts = recurrence.local_to_aware(day, start_time, group.time_zone)
    _check_times(starts=starts, duration_minutes=duration_minutes)
    meeting = Meeting.objects.create(
        group=group,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=duration_minutes),
        time_zone=group.time_zone,
        **_details_fields(group=group, details=details),
    )
    agenda.agenda_start_from_default(meeting=meeting)  # the group's default agenda
    return meeting


@transaction.atomic
def series_create(
    *,
    group: PeerGroup,
    by,
    start_date: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    rule: Recurrence,
    details: MeetingDetails,
    materialise: bool = True,
) -> MeetingSeries:
    """Start a repeating series and create its meetings for the coming weeks (a caller
    that fills the series itself, as a split does, passes `materialise=False`)."""
    starts = recurrence.local_to_aware(start_date, start_time, group.time_zone)
    _check_times(starts=starts, duration_minutes=duration_minutes)
    _check_recurrence(start_date=start_date, rule=rule)
    series = MeetingSeries.objects.create(
        group=group,
        frequency=rule.frequency,
        weekday=start_date.weekday(),
        nth=rule.nth if rule.frequency == MeetingSeries.Frequency.MONTHLY else None,
        start_date=start_date,
        start_time=start_time,
        time_zone=group.time_zone,
        duration_minutes=duration_minutes,
        until=rule.until if not rule.count else None,
        count=rule.count,
        created_by=by,
        **_details_fields(group=group, details=details),
    )
    if not recurrence.series_dates(series, start=start_date, end=series_last_possible(series)):
        raise MeetingsError(_("This rule gives no meeting dates: check the day and the end."))
    if materialise:
        recurrence.series_materialise(series=series)
    return series


def series_last_possible(series: MeetingSeries) -> datetime.date:
    return series.until or series.start_date + datetime.timedelta(days=recurrence.MAX_SPAN_DAYS * 5)


def _refuse_if_past_or_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingsError(_("This meeting was cancelled, so it can no longer be changed."))
    if not meeting.is_open:
        raise MeetingsError(
            _("This meeting has already started or taken place, so it can no longer be changed.")
        )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by,
    day: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    details: MeetingDetails,
) -> Meeting:
    """Edit or move this one meeting; it no longer follows its series' later edits."""
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    _refuse_if_past_or_cancelled(meeting)
    starts = recurrence.local_to_aware(day, start_time, meeting.time_zone)
    _check_times(starts=starts, duration_minutes=duration_minutes)
    before = calendar.meeting_shown(meeting)
    for name, value in _details_fields(group=meeting.group, details=details).items():
        setattr(meeting, name, value)
    meeting.starts_at = starts
    meeting.ends_at = starts + datetime.timedelta(minutes=duration_minutes)
    meeting.detached = meeting.series_id is not None
    meeting.save()
    meeting_changes_follow(meeting, before=before)
    return meeting


@transaction.atomic
def series_update_following(
    *,
    meeting: Meeting,
    by,
    day: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    details: MeetingDetails,
    changes: dict[int, int],
) -> Meeting:
    """Split the series ("this and following"): end it the day before, start anew here.

    The old series' later occurrences that nobody edited alone are made again from the
    new series; detached or cancelled ones stay as they are. Returns this meeting's
    replacement (the first of the new series). The moved meetings whose calendar entry
    changed are added to `changes` (id -> new sequence) for the caller's one email.
    """
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    _refuse_if_past_or_cancelled(meeting)
    old = MeetingSeries.objects.select_for_update().get(pk=meeting.series_id)
    cut = min(day, meeting.series_date)
    remaining = None
    if old.count:
        before = recurrence.series_dates(
            old, start=old.start_date, end=cut - datetime.timedelta(days=1)
        )
        remaining = max(old.count - len(before), 1)
    nth = old.nth
    if old.frequency == MeetingSeries.Frequency.MONTHLY and old.nth != -1:
        nth = _nth_of(day)
    rule = Recurrence(frequency=old.frequency, nth=nth, until=old.until, count=remaining)
    old.until, old.count = cut - datetime.timedelta(days=1), None
    old.save(update_fields=["until", "count"])
    # Later occurrences nobody changed alone move to the new series in order, keeping
    # their agenda, roles and RSVPs; any left over (the new rule has fewer dates) go.
    following = list(
        Meeting.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(
            Q(pk=meeting.pk)
            | Q(series=old, series_date__gte=cut, detached=False, status=Meeting.Status.SCHEDULED)
        )
        .order_by("series_date")
    )
    new = series_create(
        group=meeting.group,
        by=by,
        start_date=day,
        start_time=start_time,
        duration_minutes=duration_minutes,
        rule=rule,
        details=details,
        materialise=False,
    )
    new_dates = recurrence.series_dates(new, start=day, end=recurrence.window_end())
    for occurrence, new_day in zip(following, new_dates, strict=False):
        _occurrence_move(occurrence, series=new, day=new_day, details=details, changes=changes)
    for leftover in following[len(new_dates) :]:
        leftover.delete()
    recurrence.series_materialise(series=new)
    return following[0] if new_dates else new.meetings.order_by("starts_at").first()


def _occurrence_move(
    meeting: Meeting,
    *,
    series: MeetingSeries,
    day: datetime.date,
    details: MeetingDetails,
    changes: dict[int, int],
) -> None:
    before = calendar.meeting_shown(meeting)
    meeting.series, meeting.series_date = series, day
    meeting.starts_at, meeting.ends_at = recurrence.series_occurrence_times(series, day)
    for name, value in _details_fields(group=meeting.group, details=details).items():
        setattr(meeting, name, value)
    meeting.save()
    meeting_changes_follow(meeting, before=before, batched=changes)


def _nth_of(day: datetime.date) -> int:
    return (day.day - 1) // 7 + 1


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, reason: str) -> Meeting:
    """Cancel one meeting with a reason; the group's members are told by email."""
    # The tasks module imports this one (a task calls a service): imported on use.
    from sessions.tasks import send_meeting_cancelled

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reason = reason.strip()
    if not reason:
        raise MeetingsError(_("Please say why the meeting is cancelled: members will see it."))
    _refuse_if_past_or_cancelled(meeting)
    before = calendar.meeting_shown(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.detached = meeting.series_id is not None
    meeting.save(update_fields=["status", "cancel_reason", "detached", "updated_at"])
    meeting_changes_follow(meeting, before=before)
    enqueue_on_commit(send_meeting_cancelled, meeting.pk)
    return meeting


@transaction.atomic
def meeting_complete(*, meeting: Meeting, by) -> Meeting:
    """Mark a meeting that has started as having taken place."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise MeetingsError(_("Only a scheduled meeting can be marked as having taken place."))
    if meeting.starts_at > timezone.now():
        raise MeetingsError(_("A meeting can be marked as having taken place once it starts."))
    before = calendar.meeting_shown(meeting)
    meeting.status = Meeting.Status.COMPLETED
    meeting.save(update_fields=["status", "updated_at"])
    meeting_changes_follow(meeting, before=before)
    return meeting


def meeting_cancellation_recipients(meeting: Meeting):
    """Who hears about a cancellation: for now the group's active members.

    The RSVP issue narrows this to the people going and on the waitlist.
    """
    return (
        Membership.objects.filter(group_id=meeting.group_id, status=Membership.Status.ACTIVE)
        .select_related("user")
        .filter(user__is_active=True)
    )


@transaction.atomic
def meeting_send_cancelled(*, meeting_id: int) -> int:
    """Tell everyone concerned once; returns how many emails were queued (0 on a rerun).

    The row lock makes a duplicate task wait and then see the stamp; each email goes
    through the notification layer (ledger, preferences, unsubscribe, after commit).
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk=meeting_id, status=Meeting.Status.CANCELLED, cancellation_sent_at=None)
        .first()
    )
    if meeting is None:
        return 0
    queued = sum(
        _notify_cancelled(meeting=meeting, user=m.user)
        for m in meeting_cancellation_recipients(meeting)
    )
    meeting.cancellation_sent_at = timezone.now()
    meeting.save(update_fields=["cancellation_sent_at"])
    return queued


def _notify_cancelled(*, meeting: Meeting, user) -> bool:
    zone = _zone_of(user)
    context = {
        "user": user,
        "meeting": meeting,
        "starts_local": meeting.starts_at.astimezone(zone),
        "zone_name": str(zone),
        # Discreet mode keeps the group's name out of the email entirely.
        "group_name": "" if user.discreet_mode else meeting.group.name,
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
    }
    # The METHOD:CANCEL invite removes the entry from calendars that got the invite.
    attachment = calendar.meeting_cancellation_attachment(meeting=meeting, user=user)
    return notify(
        kind="session_cancelled",
        recipient=user,
        about=meeting,
        context=context,
        attachments=[attachment],
    )


def _zone_of(user):
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


# --- Facilitator notes ----------------------------------------------------------------
@transaction.atomic
def note_add(*, meeting: Meeting, author, text: str) -> MeetingNote:
    text = text.strip()
    if not text:
        raise MeetingsError(_("The note is empty."))
    return MeetingNote.objects.create(meeting=meeting, author=author, text=text)


@transaction.atomic
def notes_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete notes older than their organisation's retention period; returns how many."""
    now = now or timezone.now()
    deleted = 0
    periods = Organisation.objects.values_list("notes_retention_days", flat=True).distinct()
    for days in periods:
        deleted += MeetingNote.objects.filter(
            meeting__group__organisation__notes_retention_days=days,
            created_at__lt=now - datetime.timedelta(days=days),
        ).delete()[0]
    return deleted
