"""Calendar invites and feeds (.ics), and each member's private, revocable feed token.

One UID per meeting (`meeting-<id>@peersupport`) and per community event, so a calendar
updates the same entry; SEQUENCE is the meeting's `sequence`, raised on every change.
The place and link go in only where `can_see_meeting_location` allows.
"""

from __future__ import annotations

import datetime
import functools
import secrets
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar.timezone import tzid_from_tzinfo

from peersupport.cache_scopes import renew_rows
from sessions.models import CalendarFeed, CommunityEvent, Meeting, Rsvp
from sessions.selectors import can_see_meeting_location, meeting_location_access
from sessions.services.vtimezone import vtimezone_with_rule

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


@functools.cache
def _vtimezone(tzid: str) -> bytes:
    """One zone's VTIMEZONE block, built from the tz database once per process.

    The zone's rule as a yearly RRULE, valid for any date (see `vtimezone`); the rare zone
    whose rule does not fit one gets icalendar's list of transitions. The tz database does
    not change while a process runs, so the block is the same for every calendar.
    """
    try:
        with_rule = vtimezone_with_rule(tzid)
        if with_rule is not None:
            return with_rule.to_ical()
        return icalendar.Timezone.from_tzid(tzid).to_ical()
    except ValueError:
        return b""  # a zone the tz database doesn't know: left out, as icalendar would


def _finish(cal: icalendar.Calendar, tzids: Iterable[str], vevents: list[bytes]) -> bytes:
    """The calendar's properties, a VTIMEZONE per zone its events use, then the events.

    Put together from pieces (the same bytes as one `to_ical()` of the whole tree, as
    lines fold one at a time) so that the cached VTIMEZONE blocks are used as they are.
    """
    end = b"END:VCALENDAR\r\n"
    parts = [cal.to_ical().removesuffix(end)]
    # UTC times end in "Z" and need no VTIMEZONE (RFC 5545 3.2.19).
    parts.extend(_vtimezone(tzid) for tzid in sorted(set(tzids) - {"UTC"}))
    parts.extend(vevents)
    parts.append(end)
    return b"".join(parts)


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


def _tzids_of(events: list[icalendar.Event]) -> set[str]:
    return {
        event[name].params["TZID"]
        for event in events
        for name in ("dtstart", "dtend")
        if name in event and "TZID" in event[name].params
    }


# --- Meetings as VEVENT text -------------------------------------------------------------
# A feed holds up to FEED_LIMIT meetings and is fetched by every member's calendar app:
# building icalendar objects and letting the library infer and serialise each property cost
# more than the rest of the request. Meetings always carry the same ten properties, so they
# are written directly, in icalendar's order, escaping and line folding (a test holds the
# two byte for byte); the library still reads them back in the tests and writes the rest.
@functools.cache
def _tzid(zone: str) -> str:
    """The TZID icalendar gives a zone ("UTC" for UTC and its aliases), once per process."""
    return tzid_from_tzinfo(zone_of(zone)) or "UTC"


def _text(value: str) -> str:
    """RFC 5545 TEXT (3.3.11): backslash, semicolon and comma escaped, line breaks as \\n."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Content lines of at most 75 octets, continued after CRLF and a space (RFC 5545 3.1),
    cut where icalendar cuts them: never right after a backslash or caret (issue #1501)."""
    if len(line) < 75 and line.isascii():
        return line
    pieces, piece, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if piece and size + width >= 75:
            carried = [piece.pop()] if len(piece) > 1 and piece[-1] in "\\^" else []
            pieces.append("".join(piece))
            piece, size = carried, len("".join(carried).encode())
        piece.append(char)
        size += width
    pieces.append("".join(piece))
    return "\r\n ".join(pieces)


def _time(name: str, moment: datetime.datetime, zone: str) -> str:
    tzid = _tzid(zone)
    if tzid == "UTC":
        return f"{name}:{moment.astimezone(datetime.UTC):%Y%m%dT%H%M%S}Z"
    return f"{name};TZID={tzid}:{moment.astimezone(zone_of(zone)):%Y%m%dT%H%M%S}"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _meeting_summary(meeting: Meeting, user) -> str:
    # Discreet mode: a phone's calendar must not show the group's name or topic either.
    if getattr(user, "discreet_mode", False):
        return _("Peer support meeting")
    if meeting.topic:
        return f"{meeting.group.name}: {meeting.topic}"
    return meeting.group.name


def _is_cancelled(meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.CANCELLED


def _meeting_vevent(
    *, meeting: Meeting, user, cancelled: bool, show_location: bool, stamp: datetime.datetime
) -> bytes:
    """One meeting as a VEVENT for this person (place and link only with `show_location`)."""
    url = settings.SITE_URL + meeting.get_absolute_url()
    lines, location = [url], ""
    if show_location and not cancelled:
        place = meeting.effective_place if meeting.format != "online" else ""
        link = meeting.effective_online_link if meeting.format != "in_person" else ""
        location = place or link
        if link:
            lines.insert(0, link)
    description = "\n".join(lines)
    content = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(_meeting_summary(meeting, user))}",
        _time("DTSTART", meeting.starts_at, meeting.time_zone),
        _time("DTEND", meeting.ends_at, meeting.time_zone),
        f"DTSTAMP:{stamp.astimezone(datetime.UTC):%Y%m%dT%H%M%S}Z",
        f"UID:{_text(meeting_uid(meeting))}",
        f"SEQUENCE:{meeting.sequence}",
        f"DESCRIPTION:{_text(description)}",
    ]
    if location:
        content.append(f"LOCATION:{_text(location)}")
    content += [f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}", f"URL:{url}", "END:VEVENT"]
    return "".join(_fold(line) + "\r\n" for line in content).encode()


def meeting_ics(*, meeting: Meeting, user, method: str = "REQUEST") -> bytes:
    """An invite (REQUEST) or cancellation (CANCEL) of one meeting, for one person."""
    cancelled = method == "CANCEL" or _is_cancelled(meeting)
    vevent = _meeting_vevent(
        meeting=meeting,
        user=user,
        cancelled=cancelled,
        show_location=not cancelled and can_see_meeting_location(user, meeting),
        stamp=timezone.now(),
    )
    return _finish(_calendar(method), [_tzid(meeting.time_zone)], [vevent])


def meeting_attachment(
    *, meeting: Meeting, user, method: str = "REQUEST"
) -> tuple[str, bytes, str]:
    """The invite as an email attachment: REQUEST adds or updates the entry, CANCEL
    removes it."""
    ics = meeting_ics(meeting=meeting, user=user, method=method)
    return ("meeting.ics", ics, f"text/calendar; method={method}; charset=utf-8")


def meeting_cancellation_attachment(*, meeting: Meeting, user) -> tuple[str, bytes, str]:
    """For the cancellation email: the METHOD:CANCEL invite that removes the entry."""
    return meeting_attachment(meeting=meeting, user=user, method="CANCEL")


def meeting_email_context(*, meeting: Meeting, user) -> dict:
    """What every email about a meeting says of it: the group, when (in the reader's
    zone) and the meeting's page."""
    return {
        "title": meeting.group.name,
        "when": meeting.starts_at,
        "zone": user.time_zone,
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
    }


@dataclass(frozen=True)
class Feed:
    """A member's feed, and until when it stays right if nothing is edited."""

    body: bytes
    # The next moment the "only N hours before" rule reveals a place or link in it
    # (None: nothing left to reveal). A stored copy must not be served past it.
    changes_at: datetime.datetime | None


def feed_build(*, user, meetings: Iterable[Meeting], name: str, now=None) -> Feed:
    """A member's private feed: their upcoming meetings (cancelled ones say so), with
    place and link where `meeting_location_access` allows at `now`."""
    now = now or timezone.now()
    cal = _calendar()
    cal.add("x-wr-calname", name)
    vevents, tzids, changes_at = [], set(), None
    meetings = list(meetings)
    going_ids = None
    if any(m.group.reveal_location_to == "going" for m in meetings):
        # One query for the feed, not one per meeting, when a group shares place and link
        # only with those coming.
        going_ids = set(
            Rsvp.objects.filter(
                user_id=user.pk, meeting__in=[m.pk for m in meetings], status=Rsvp.Status.GOING
            ).values_list("meeting_id", flat=True)
        )
    for meeting in meetings:
        cancelled = _is_cancelled(meeting)
        access = (
            None
            if cancelled
            else meeting_location_access(user, meeting, now=now, going_ids=going_ids)
        )
        if access is not None and not access.visible and access.shown_from is not None:
            changes_at = min(changes_at or access.shown_from, access.shown_from)
        show = access is not None and access.visible
        vevents.append(
            _meeting_vevent(
                meeting=meeting, user=user, cancelled=cancelled, show_location=show, stamp=now
            )
        )
        tzids.add(_tzid(meeting.time_zone))
    return Feed(body=_finish(cal, tzids, vevents), changes_at=changes_at)


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
    vevents = [event_vevent(event) for event in events]
    return _finish(cal, _tzids_of(vevents), [vevent.to_ical() for vevent in vevents])


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


def meeting_shown(meeting: Meeting) -> dict[str, object]:
    """What calendars show and the seats, as the row is now. A service takes it before it
    changes a meeting, so that `meeting_shown_changes` tells a real change from a re-save."""
    return {name: getattr(meeting, name) for name in WATCHED_FIELDS}


def meeting_shown_changes(meeting: Meeting, before: dict[str, object]) -> frozenset[str]:
    """The watched fields whose value differs from `before` (a `meeting_shown`)."""
    return frozenset(name for name, value in before.items() if getattr(meeting, name) != value)


def sequence_bump(*, meeting: Meeting) -> int:
    """Raise the meeting's SEQUENCE, so calendars replace the entry; returns the new one."""
    Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    meeting.sequence = (meeting.sequence or 0) + 1
    renew_rows([meeting], ["sequence"])  # `.update()` sends no signal
    return meeting.sequence
