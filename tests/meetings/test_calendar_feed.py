"""The private feed as calendar apps read it: one VTIMEZONE per zone its meetings use, and
text written exactly as the icalendar library writes it (the feed writes meetings itself)."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.services import calendar as services
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _feed(client, user) -> bytes:
    feed = services.calendar_feed_get_or_create(user=user)
    response = client.get(reverse("meetings:feed", args=[feed.token]))
    assert response.status_code == 200
    return response.content


def _meeting(world, zone: str, days: int, **fields):
    tz = zoneinfo.ZoneInfo(zone)
    day = timezone.localdate() + datetime.timedelta(days=days)
    starts = datetime.datetime.combine(day, datetime.time(19, 0), tzinfo=tz)
    return MeetingFactory(
        group=world.group,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        time_zone=zone,
        **fields,
    )


def test_feed_carries_one_vtimezone_per_zone_used(world, client):
    _meeting(world, "America/New_York", 10)
    _meeting(world, "America/New_York", 17)
    _meeting(world, "Asia/Tokyo", 12)
    utc = _meeting(world, "UTC", 14)
    cal = icalendar.Calendar.from_ical(_feed(client, world.users["member"]))
    zones = [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]
    # The world's own meeting is in the group's zone, Europe/London; UTC needs none.
    assert sorted(zones) == ["America/New_York", "Asia/Tokyo", "Europe/London"]
    used = {e["dtstart"].params.get("TZID") for e in cal.walk("VEVENT")}
    assert used == {"America/New_York", "Asia/Tokyo", "Europe/London", None}
    for event in cal.walk("VEVENT"):
        start = event.decoded("dtstart")
        if event["uid"] == f"meeting-{utc.pk}@peersupport":
            assert start == utc.starts_at and start.utcoffset() == datetime.timedelta(0)
        elif event["dtstart"].params["TZID"] != "Europe/London":
            assert (start.hour, start.minute) == (19, 0)  # the meeting's own local time


def test_feed_text_reads_back_and_matches_icalendar_byte_for_byte(world, client):
    topic = 'Grief, "loss"; and \\ back-slashes\nacross lines — Trauer über Verlust ' * 2
    place = "Room 9; Côte-d'Ivoire Street, 2nd floor, the one with the long corridor to the left"
    meeting = _meeting(world, "America/New_York", 11, topic=topic, place=place)
    body = _feed(client, world.users["member"])
    cal = icalendar.Calendar.from_ical(body)
    event = next(e for e in cal.walk("VEVENT") if e["uid"] == f"meeting-{meeting.pk}@peersupport")
    assert str(event["summary"]) == f"Harbour Circle: {topic}"
    assert str(event["location"]) == place
    link = world.group.online_link
    assert str(event["description"]) == f"{link}\nhttp://127.0.0.1:8000/meetings/{meeting.pk}/"
    # Folded to at most 75 octets a line, and what icalendar itself writes for the same
    # calendar, so calendar apps see no difference from the library's own output.
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert cal.to_ical() == body


def test_discreet_cancelled_and_online_meetings_match_icalendar(world, client):
    member = world.users["member"]
    member.discreet_mode = True
    member.save()
    cancelled = _meeting(world, "Europe/Berlin", 8, status="cancelled")
    online = _meeting(world, "Europe/Berlin", 9, format="online")
    body = _feed(client, member)
    cal = icalendar.Calendar.from_ical(body)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    gone = events[f"meeting-{cancelled.pk}@peersupport"]
    assert str(gone["status"]) == "CANCELLED" and "location" not in gone
    there = events[f"meeting-{online.pk}@peersupport"]
    assert str(there["location"]) == world.group.online_link
    assert {str(e["summary"]) for e in events.values()} == {"Peer support meeting"}
    assert cal.to_ical() == body
