"""Reminders before meetings, check-in survey invitations after them, and the checks at
send time that keep a queued message about a meeting from going out stale.

Celery beat runs `reminders_send_due` every few minutes. For each offset it selects, in
batches, the scheduled meetings whose reminder time has passed and that have no
`ReminderRun` for that offset yet, fans the reminder out through the ledger and stamps the
run: a second beat (or a retried task) finds the stamp, and the ledger's unique constraint
would catch anything left. No ETA task per message sits in Redis.

The notification layer (`members`) learns what it must check and add for these kinds of
email through `members.hooks`, filled by `hooks_register` from the app's `ready()`.
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from groups.models import Membership
from members.hooks import KindHooks, kind_hooks_register
from members.models import (
    DEFAULT_OFFSETS,
    OFFSET_CHOICES,
    Delivery,
    NotificationPreference,
    ReminderRun,
    ReminderSetting,
    User,
)
from members.notifications import notify_many
from sessions.models import Attendance, CommunityEvent, Meeting, Rsvp
from sessions.services.rsvp import rsvp_link_url

logger = logging.getLogger(__name__)

MEETING_KINDS = {"session_reminder", "rsvp_confirmed", "waitlist_promoted", "checkin_survey"}


def group_offsets(group) -> list[int]:
    setting = ReminderSetting.objects.filter(group=group).first()
    return sorted(setting.offsets if setting else DEFAULT_OFFSETS, reverse=True)


def reminder_setting_save(*, group, offsets: list[int]) -> ReminderSetting:
    allowed = {minutes for minutes, _label in OFFSET_CHOICES}
    chosen = sorted({int(o) for o in offsets if int(o) in allowed}, reverse=True)
    setting, _created = ReminderSetting.objects.update_or_create(
        group=group, defaults={"offsets": chosen}
    )
    return setting


def _member_offsets(user_offsets: list[int] | None, group_default: list[int]) -> list[int]:
    return sorted(user_offsets or group_default, reverse=True)


# --- Who is reminded ----------------------------------------------------------------------
def going_members(meeting, *, only=None):
    """Members going to `meeting` who are active in its group (not on a break, not left).

    `only` narrows it to one member (the check at send time).
    """
    active = Membership.objects.filter(
        group_id=meeting.group_id, user=OuterRef("pk"), status=Membership.Status.ACTIVE
    )
    going = Rsvp.objects.filter(meeting=meeting, user=OuterRef("pk"), status=Rsvp.Status.GOING)
    members = User.objects.filter(Exists(going), Exists(active), is_active=True)
    if only is not None:
        members = members.filter(pk=only.pk)
    return members.only("pk").order_by("pk")


def _due_recipients(meeting, offset: int, now: datetime.datetime) -> tuple[list, list]:
    """(first reminder, later reminder) recipients of `offset` for `meeting`.

    A member gets the reminder at `offset` when it is one of their offsets and their next
    (shorter) one is not due yet, so a late scan never sends two reminders at once.
    """
    group_default = group_offsets(meeting.group)
    # In the order of what their reminder's words depend on: a delivery batch then holds
    # few variants, and renders each once (members.notifications.batch).
    variant = ("preferred_language", "time_zone", "discreet_mode")
    members = list(going_members(meeting).only("pk", *variant).order_by(*variant, "pk"))
    prefs = dict(
        NotificationPreference.objects.filter(user__in=going_members(meeting))
        .exclude(reminder_offsets=[])
        .values_list("user_id", "reminder_offsets")
    )
    first, later = [], []
    for user in members:
        offsets = _member_offsets(prefs.get(user.pk), group_default)
        if offset not in offsets:
            continue
        shorter = [o for o in offsets if o < offset]
        if shorter and meeting.starts_at - datetime.timedelta(minutes=shorter[0]) <= now:
            continue
        (first if offset == offsets[0] else later).append(user)
    return first, later


# --- Fan-out ------------------------------------------------------------------------------
@transaction.atomic
def reminders_fan_out(*, meeting_id: int, offset: int) -> int:
    """Write the ledger rows of one meeting's reminders at one offset; stamp the run.

    Returns how many deliveries were enqueued (0 when this run was already done).
    """
    meeting = Meeting.objects.select_related("group").get(pk=meeting_id)
    try:
        with transaction.atomic():
            ReminderRun.objects.create(meeting=meeting, offset=offset, starts_at=meeting.starts_at)
    except IntegrityError:
        return 0  # another beat got here first
    now = timezone.now()
    if meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at <= now:
        return 0
    first, later = _due_recipients(meeting, offset, now)
    context = {"offset": offset, "starts_at": meeting.starts_at}
    key = f"{offset}:{meeting.starts_at.timestamp():.0f}"
    ids = notify_many(
        kind="session_reminder",
        recipients=first,
        about=meeting,
        key=key,
        context={**context, "still_coming": True},
    )
    ids += notify_many(
        kind="session_reminder",
        recipients=later,
        about=meeting,
        key=key,
        context={**context, "still_coming": False},
    )
    return len(ids)


def meetings_due_for(*, offset: int, now: datetime.datetime, batch: int):
    """Scheduled meetings whose `offset` reminder time has passed and that have no run."""
    done = ReminderRun.objects.filter(
        meeting=OuterRef("pk"), offset=offset, starts_at=OuterRef("starts_at")
    )
    return (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(minutes=offset),
        )
        .filter(~Exists(done))
        .order_by("starts_at")
        .values_list("pk", flat=True)[:batch]
    )


def reminders_send_due(*, batch: int = 200) -> int:
    """Beat, every few minutes: fan out every reminder whose time has come."""
    now = timezone.now()
    sent = 0
    for offset, _label in OFFSET_CHOICES:
        for meeting_id in list(meetings_due_for(offset=offset, now=now, batch=batch)):
            sent += reminders_fan_out(meeting_id=meeting_id, offset=offset)
    return sent


# --- Check-in survey after the meeting --------------------------------------------------
def checkin_survey_url(meeting) -> str:
    # The feedback app's survey view answers at this path; keep them in step.
    return f"{settings.SITE_URL}/feedback/meetings/{meeting.pk}/checkin/"


@transaction.atomic
def checkin_invitations_send(*, meeting_id: int) -> int:
    """Invite everyone marked present to the check-in survey (once per member)."""
    meeting = Meeting.objects.get(pk=meeting_id)
    present = User.objects.filter(
        is_active=True,
        pk__in=Attendance.objects.filter(meeting=meeting, status=Attendance.Status.PRESENT).values(
            "user_id"
        ),
    )
    return len(notify_many(kind="checkin_survey", recipients=present, about=meeting))


def checkin_invitations_due(*, now: datetime.datetime | None = None, batch: int = 200) -> int:
    """Beat: meetings that ended in the last two days and whose attendees weren't invited.

    Attendance is often marked after the end, so a meeting is looked at again on each run
    until two days have passed; the ledger keeps every invitation single.
    """
    now = now or timezone.now()
    meetings = (
        Meeting.objects.filter(
            ends_at__lte=now,
            ends_at__gt=now - datetime.timedelta(days=2),
            attendance__status=Attendance.Status.PRESENT,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .distinct()
        .values_list("pk", flat=True)[:batch]
    )
    return sum(checkin_invitations_send(meeting_id=pk) for pk in list(meetings))


# --- Checked at send time -----------------------------------------------------------------
def going_in_batch(deliveries: list[Delivery]) -> dict[int, set[int]]:
    """For a batch of reminders: meeting id -> the recipients still going to it, asked
    once per meeting instead of once per message."""
    reminders: dict[int, tuple[Meeting, set[int]]] = {}
    for delivery in deliveries:
        if isinstance(delivery.about, Meeting):
            reminders.setdefault(delivery.about_id, (delivery.about, set()))[1].add(
                delivery.recipient_id
            )
    return {
        pk: set(going_members(meeting).filter(pk__any_of=ids).values_list("pk", flat=True))
        for pk, (meeting, ids) in reminders.items()
    }


def stale_reason(delivery: Delivery, going: dict[int, set[int]] | None = None) -> str:
    """Why a queued message about a meeting should not go out any more ("" when it should).

    `going`: `going_in_batch` of the batch the row is sent in (None: ask for this row).
    """
    meeting = delivery.about
    # Only messages about a meeting (a community event's promotion is checked by its app).
    if delivery.kind not in MEETING_KINDS or not isinstance(meeting, Meeting):
        return ""
    if delivery.kind == "checkin_survey":
        return "meeting was cancelled" if meeting.status == Meeting.Status.CANCELLED else ""
    if meeting.status != Meeting.Status.SCHEDULED:
        return f"meeting is {meeting.status}"
    if meeting.starts_at <= timezone.now():
        return "meeting has started"
    if delivery.kind != "session_reminder":
        return ""
    queued_for = delivery.context.get("starts_at", {}).get("$datetime")
    if queued_for and datetime.datetime.fromisoformat(queued_for) != meeting.starts_at:
        return "meeting was moved after the reminder was queued"
    if going is not None and delivery.about_id in going:
        still_going = delivery.recipient_id in going[delivery.about_id]
    else:
        still_going = going_members(meeting, only=delivery.recipient).exists()
    if not still_going:
        return "no longer going or no longer an active member"
    return ""


# --- Added to the template context at send time -----------------------------------------------
def render_context(delivery: Delivery) -> dict:
    """Links and times the reminder and survey templates need (the member's own signed
    links come from `personal_links`)."""
    meeting, user = delivery.about, delivery.recipient
    context = {
        "when": meeting.starts_at,
        "zone": user.time_zone,
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
    }
    if delivery.kind == "checkin_survey":
        context["survey_url"] = checkin_survey_url(meeting)
    return context


def personal_links(delivery: Delivery) -> dict:
    """The signed links of a reminder that only its recipient may use."""
    # Every reminder carries it: a meeting booked less than a day ahead gets only the
    # later reminders, and a member may change their mind at any of them.
    url = rsvp_link_url(meeting=delivery.about, member=delivery.recipient, status="not_going")
    return {"cant_make_it_url": url}


def meeting_notice(about, context) -> tuple[str, str]:
    """A notice about a meeting (or its role, series or a public event): the group's name,
    or the event's title, and the page to open (`members.hooks.KindHooks.notice`)."""
    if isinstance(about, CommunityEvent):
        return about.title, about.get_absolute_url()
    meeting = about if isinstance(about, Meeting) else getattr(about, "meeting", None)
    if meeting is not None:
        return meeting.group.name, meeting.get_absolute_url()
    group = getattr(about, "group", None)  # a series
    return (group.name, group.get_absolute_url()) if group is not None else ("", "")


def survey_notice(about, context) -> tuple[str, str]:
    return about.group.name, urlsplit(checkin_survey_url(about)).path


def hooks_register() -> None:
    """Tell the notification layer what it must check and add for emails about meetings."""
    kind_hooks_register(
        ["session_reminder"],
        KindHooks(
            batch_facts=going_in_batch,
            stale=stale_reason,
            render_context=render_context,
            personal_links=personal_links,
            notice=meeting_notice,
        ),
    )
    kind_hooks_register(
        ["checkin_survey"],
        KindHooks(stale=stale_reason, render_context=render_context, notice=survey_notice),
    )
    kind_hooks_register(
        ["rsvp_confirmed", "waitlist_promoted"],
        KindHooks(stale=stale_reason, notice=meeting_notice),
    )
    kind_hooks_register(
        ["session_changed", "session_cancelled", "role_assigned"],
        KindHooks(notice=meeting_notice),
    )
