"""Calendar invites and feeds (.ics), and each member's private, revocable feed token.

One UID per meeting (`meeting-<id>@peersupport`) and per community event, so a calendar
updates the same entry; SEQUENCE is the meeting's `sequence`, raised on every change.
The place and link go in only where `can_see_meeting_location` allows.
"""

from __future__ import annotations

import datetime
import secrets
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from peersupport.tasks import enqueue_on_commit
from sessions.models import CalendarFeed, CommunityEvent, Meeting
from sessions.selectors import can_see_meeting_location

PRODID = "-//peersupport//meetings//EN"
UID_DOMAIN = "peersupport"
# Saving any of these changes what a calendar shows: the invite's SEQUENCE goes up.
CALENDAR_FIELDS = frozenset(
    {"starts_at", "ends_at", "time_zone", "place", "online_link", "format", "status", "topic"}
)
CAPACITY_FIELDS = frozenset({"capacity", "online_capacity"})


def zone_of(name: str):
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _calendar(method: str = "") -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def _finish(cal: icalendar.Calendar) -> bytes:
    # VTIMEZONE blocks for every zone used, generated from the tz database.
    cal.add_missing_timezones()
    return cal.to_ical()


def _event(*, uid: str, sequence: int, starts, ends, zone: str, summary: str) -> icalendar.Event:
    tz = zone_of(zone)
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", starts.astimezone(tz))
    event.add("dtend", ends.astimezone(tz))
    event.add("summary", summary)
    return event


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _meeting_summary(meeting: Meeting, user) -> str:
    # Discreet mode: a phone's calendar must not show the group's name or topic either.
    if getattr(user, "discreet_mode", False):
        return _("Peer support meeting")
    if meeting.topic:
        return f"{meeting.group.name}: {meeting.topic}"
    return meeting.group.name


def meeting_vevent(*, meeting: Meeting, user, cancelled: bool = False) -> icalendar.Event:
    """One meeting as a VEVENT for this person (place and link only if they may see them)."""
    event = _event(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        starts=meeting.starts_at,
        ends=meeting.ends_at,
        zone=meeting.time_zone,
        summary=_meeting_summary(meeting, user),
    )
    url = settings.SITE_URL + meeting.get_absolute_url()
    event.add("url", url)
    lines = [url]
    if cancelled or meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        if can_see_meeting_location(user, meeting):
            place = meeting.effective_place if meeting.format != "online" else ""
            link = meeting.effective_online_link if meeting.format != "in_person" else ""
            if place or link:
                event.add("location", place or link)
            if link:
                lines.insert(0, link)
    event.add("description", "\n".join(lines))
    return event


def meeting_ics(*, meeting: Meeting, user, method: str = "REQUEST") -> bytes:
    """An invite (REQUEST) or cancellation (CANCEL) of one meeting, for one person."""
    cal = _calendar(method)
    cal.add_component(meeting_vevent(meeting=meeting, user=user, cancelled=method == "CANCEL"))
    return _finish(cal)


def meeting_cancellation_attachment(*, meeting: Meeting, user) -> tuple[str, bytes, str]:
    """For the cancellation email: the METHOD:CANCEL invite that removes the entry."""
    ics = meeting_ics(meeting=meeting, user=user, method="CANCEL")
    return ("meeting.ics", ics, "text/calendar; method=CANCEL; charset=utf-8")


def feed_ics(*, user, meetings: Iterable[Meeting], name: str) -> bytes:
    """A member's private feed: their upcoming meetings (cancelled ones say so)."""
    cal = _calendar()
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(meeting_vevent(meeting=meeting, user=user))
    return _finish(cal)


def event_vevent(event: CommunityEvent) -> icalendar.Event:
    vevent = _event(
        uid=f"event-{event.pk}@{UID_DOMAIN}",
        sequence=event.sequence,
        starts=event.starts_at,
        ends=event.ends_at,
        zone=event.time_zone,
        summary=event.title,
    )
    url = settings.SITE_URL + event.get_absolute_url()
    vevent.add("url", url)
    vevent.add("description", "\n".join(filter(None, [event.description, url])))
    cancelled = event.status == CommunityEvent.Status.CANCELLED
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if event.place or event.online_link:
        vevent.add("location", event.place or event.online_link)
    return vevent


def events_ics(*, events: Iterable[CommunityEvent], name: str, method: str = "") -> bytes:
    """An organisation's public feed of community events (or one event's invite)."""
    cal = _calendar(method)
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event_vevent(event))
    return _finish(cal)


# --- Private feed tokens ----------------------------------------------------------------
def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user) -> CalendarFeed:
    """A new address; the old one stops working at once (404)."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": _new_token()}
    )
    feed.token, feed.created_at = _new_token(), timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> None:
    """Turn the feed off: no address works until the member asks for a new one."""
    CalendarFeed.objects.filter(user=user).delete()


# --- Keeping invites current ------------------------------------------------------------
WATCHED_FIELDS = CALENDAR_FIELDS | CAPACITY_FIELDS


def meeting_saving(sender, instance: Meeting, update_fields=None, **kwargs) -> None:
    """pre_save of Meeting: remember what calendars show, to tell a real change from a
    re-save. Saves that touch none of these fields (the live view's) cost nothing."""
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not frozenset(update_fields) & WATCHED_FIELDS:
        return
    instance._calendar_before = (
        Meeting.objects.filter(pk=instance.pk).values(*WATCHED_FIELDS).first()
    )


def meeting_saved(sender, instance: Meeting, created: bool, **kwargs) -> None:
    """post_save of Meeting: when what a calendar shows changed, raise SEQUENCE and send
    the people going an updated invite; when seats changed, fill them from the waitlist."""
    before = instance.__dict__.pop("_calendar_before", None)
    if created or before is None:
        return
    changed = {name for name in WATCHED_FIELDS if before[name] != getattr(instance, name)}
    if changed & CALENDAR_FIELDS:
        Meeting.objects.filter(pk=instance.pk).update(sequence=F("sequence") + 1)
        instance.sequence = before_sequence = (instance.sequence or 0) + 1
        # Cancellations have their own email (with METHOD:CANCEL) from the meetings service.
        if instance.status == Meeting.Status.SCHEDULED and changed - {"status"}:
            from sessions.tasks_rsvp import send_meeting_changed

            enqueue_on_commit(send_meeting_changed, instance.pk, before_sequence)
    if changed & CAPACITY_FIELDS:
        from sessions.tasks_rsvp import fill_free_seats

        enqueue_on_commit(fill_free_seats, instance.pk)
