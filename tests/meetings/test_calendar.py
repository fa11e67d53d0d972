"""Calendar: invites parsed back (times, zone, UID, SEQUENCE), cancellations, private feeds."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
import pytest
from django.contrib import admin
from django.urls import reverse

from sessions.admin import MeetingAdmin
from sessions.models import CalendarFeed, Meeting
from sessions.services import calendar as services
from sessions.services import meetings as meeting_services
from sessions.services import rsvp as rsvp_services
from tests.factories import MeetingFactory, MembershipFactory, UserFactory
from tests.support import assert_constant_queries, meeting_edit

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _event(body: bytes):
    cal = icalendar.Calendar.from_ical(body)
    return cal, cal.walk("VEVENT")[0]


def _evening_meeting(world, **fields):
    """Next month, 19:00-20:30 in New York (a zone unlike the server's)."""
    day = datetime.date.today() + datetime.timedelta(days=30)
    starts = datetime.datetime.combine(day, datetime.time(19, 0), tzinfo=NEW_YORK)
    fields.setdefault("place", "Room 9, Private Street")
    fields.setdefault("online_link", "https://meet.jit.si/very-private")
    return MeetingFactory(
        group=world.group,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        time_zone="America/New_York",
        **fields,
    )


def test_meeting_ics_has_times_zone_uid_sequence_and_vtimezone(world, client_for):
    meeting = _evening_meeting(world)
    response = client_for(world.users["member"]).get(
        reverse("meetings:meeting_ics", args=[meeting.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal, event = _event(response.content)
    assert str(cal["method"]) == "REQUEST"
    assert str(event["uid"]) == f"meeting-{meeting.pk}@peersupport"
    assert int(event["sequence"]) == 0
    start = event.decoded("dtstart")
    assert start == meeting.starts_at
    assert (start.hour, start.minute) == (19, 0)
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert event.decoded("dtend") - start == datetime.timedelta(minutes=90)
    zones = [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]
    assert zones == ["America/New_York"]
    # The signed active member sees the place in the invite.
    assert "Room 9, Private Street" in str(event["location"])


def test_meeting_ics_leaves_out_place_and_link_for_unsigned_member(world, client_for):
    meeting = _evening_meeting(world)
    unsigned = UserFactory()
    MembershipFactory(group=world.group, user=unsigned)
    body = client_for(unsigned).get(reverse("meetings:meeting_ics", args=[meeting.pk])).content
    assert b"Private Street" not in body
    assert b"very-private" not in body


def test_meeting_ics_in_discreet_mode_does_not_name_the_group(world, client_for):
    meeting = _evening_meeting(world)
    member = world.users["member"]
    member.discreet_mode = True
    member.save()
    body = client_for(member).get(reverse("meetings:meeting_ics", args=[meeting.pk])).content
    _cal, event = _event(body)
    assert world.group.name not in str(event["summary"])


def test_sequence_increases_when_meeting_moves(world):
    meeting = _evening_meeting(world)
    assert meeting.sequence == 0
    meeting_services.meeting_update(
        meeting=meeting,
        by=world.users["facilitator"],
        day=datetime.date.today() + datetime.timedelta(days=31),
        start_time=datetime.time(18, 0),
        duration_minutes=60,
        details=meeting_services.MeetingDetails(capacity=12),
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    _cal, event = _event(services.meeting_ics(meeting=meeting, user=world.users["member"]))
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart").hour == 18


def test_cancellation_email_carries_method_cancel(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _evening_meeting(world)
    rsvp_services.rsvp_set(
        meeting=meeting, member=world.users["member"], status="going", mode="in_person"
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_cancel(
            meeting=meeting, by=world.users["facilitator"], reason="The room flooded."
        )
    message = next(m for m in mailoutbox if world.users["member"].email in m.to)
    _filename, content, mimetype = message.attachments[0]
    assert "method=CANCEL" in mimetype
    cal, event = _event(content)
    assert str(cal["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == f"meeting-{meeting.pk}@peersupport"
    assert int(event["sequence"]) == 1


# --- Private feed --------------------------------------------------------------------------
def _feed_url(user) -> str:
    feed = services.calendar_feed_get_or_create(user=user)
    return reverse("meetings:feed", args=[feed.token])


def test_feed_lists_upcoming_meetings_with_place_for_entitled_member(world, client):
    meeting = _evening_meeting(world)
    response = client.get(_feed_url(world.users["member"]))
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    uids = {str(e["uid"]) for e in cal.walk("VEVENT")}
    assert f"meeting-{meeting.pk}@peersupport" in uids
    assert f"meeting-{world.other_meeting.pk}@peersupport" not in uids
    assert b"Private Street" in response.content


def test_feed_of_member_on_break_is_empty(world, client):
    _evening_meeting(world)
    response = client.get(_feed_url(world.users["on_break"]))
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT") == []


def test_feed_rotate_and_revoke_make_old_address_404(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    page = client.get(reverse("meetings:calendar_feed")).content.decode()
    assert "You don" in page and "have a calendar feed yet" in page
    client.post(reverse("meetings:calendar_feed_rotate"))
    old = CalendarFeed.objects.get(user=member).token
    page = client.get(reverse("meetings:calendar_feed")).content.decode()
    assert old in page
    client.post(reverse("meetings:calendar_feed_rotate"))
    new = CalendarFeed.objects.get(user=member).token
    assert new != old
    client.logout()
    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 200
    client_for(member).post(reverse("meetings:calendar_feed_revoke"))
    client.logout()
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 404


def test_feed_queries_constant_in_number_of_meetings(world, client):
    url = _feed_url(world.users["member"])
    _evening_meeting(world)

    def grow():
        for _ in range(6):
            _evening_meeting(world)

    assert_constant_queries(lambda: client.get(url), grow, limit=12)


def test_organisation_public_feed_lists_community_events(world, client):
    from sessions.services import events

    event = events.event_create(
        organisation=world.organisation,
        by=world.users["organizer"],
        title="Open evening: what is peer support?",
        day=datetime.date.today() + datetime.timedelta(days=10),
        start_time=datetime.time(18, 30),
        duration_minutes=60,
        time_zone="Europe/London",
        capacity=40,
        place="Town library",
    )
    response = client.get(reverse("meetings:organisation_feed", args=[world.organisation.slug]))
    assert response.status_code == 200
    _cal, vevent = _event(response.content)
    assert str(vevent["uid"]) == f"event-{event.pk}@peersupport"
    assert str(vevent["summary"]) == "Open evening: what is peer support?"
    assert vevent["dtstart"].params["TZID"] == "Europe/London"


def test_moving_a_meeting_sends_going_members_the_updated_invite(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _evening_meeting(world)
    member = world.users["member"]
    rsvp_services.rsvp_set(meeting=meeting, member=member, status="going", mode="online")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_update(
            meeting=meeting,
            by=world.users["facilitator"],
            day=datetime.date.today() + datetime.timedelta(days=32),
            start_time=datetime.time(19, 0),
            duration_minutes=90,
            details=meeting_services.MeetingDetails(capacity=12, format="hybrid"),
        )
    assert [m.to for m in mailoutbox] == [[member.email]]
    message = mailoutbox[0]
    assert "changed" in message.subject and world.group.name not in message.subject
    _cal, event = _event(message.attachments[0][1])
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart").date() == datetime.date.today() + datetime.timedelta(days=32)


def test_resaving_without_change_keeps_sequence_and_sends_nothing(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _evening_meeting(world)
    rsvp_services.rsvp_set(
        meeting=meeting, member=world.users["member"], status="going", mode="online"
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save()
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert mailoutbox == []


def test_editing_without_change_keeps_sequence_and_sends_nothing(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _evening_meeting(world)
    rsvp_services.rsvp_set(
        meeting=meeting, member=world.users["member"], status="going", mode="online"
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(meeting, by=world.users["facilitator"])
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert mailoutbox == []


def test_staff_editing_a_meeting_in_the_admin_updates_invites(
    world, mailoutbox, django_capture_on_commit_callbacks, client_for
):
    meeting = _evening_meeting(world)
    member = world.users["member"]
    rsvp_services.rsvp_set(meeting=meeting, member=member, status="going", mode="online")
    mailoutbox.clear()
    meeting.topic = "Night shifts"
    with django_capture_on_commit_callbacks(execute=True):
        MeetingAdmin(Meeting, admin.site).save_model(None, meeting, None, change=True)
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_my_calendar_lists_my_groups_meetings_answered_or_not(world, client_for):
    meeting = _evening_meeting(world, topic="Night shifts")
    member = world.users["member"]
    client = client_for(member)
    page = client.get(reverse("meetings:calendar_feed")).content.decode()
    assert "Harbour Circle: Night shifts" in page and "Not answered yet" in page
    assert reverse("meetings:rsvp", args=[meeting.pk]) in page  # answer from here
    rsvp_services.rsvp_set(meeting=meeting, member=member, status="going", mode="online")
    page = client.get(reverse("meetings:calendar_feed")).content.decode()
    assert (
        "Harbour Circle: Night shifts" in page
        and "Not answered yet" not in page.split("Night shifts", 1)[1].split("</li>", 1)[0]
    )


def test_my_calendar_lists_no_meeting_of_a_group_i_am_not_in(world, client_for):
    page = client_for(world.users["member"]).get(reverse("meetings:calendar_feed"))
    assert world.other_meeting.get_absolute_url() not in page.content.decode()


def test_my_calendar_queries_constant_in_meetings(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    services.calendar_feed_get_or_create(user=member)
    first = _evening_meeting(world)
    rsvp_services.rsvp_set(meeting=first, member=member, status="going", mode="online")

    def grow():
        for _ in range(5):
            meeting = _evening_meeting(world)
            rsvp_services.rsvp_set(meeting=meeting, member=member, status="going", mode="online")

    client.get(reverse("meetings:calendar_feed"))  # warms the person's cached rows
    assert_constant_queries(lambda: client.get(reverse("meetings:calendar_feed")), grow, limit=20)
