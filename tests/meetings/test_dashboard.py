"""The facilitator dashboard: next meetings of every group a person runs."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from sessions.models import AgendaItem, Meeting, MeetingRole
from tests.factories import MeetingFactory, MembershipFactory, PeerGroupFactory
from tests.support import assert_constant_queries

URL = reverse("meetings:facilitator_dashboard")


def dashboard(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_facilitator_sees_their_groups_next_meetings_only(world, client_for, facilitator):
    elsewhere = MeetingFactory(topic="Not yours")
    text = dashboard(client_for(facilitator))
    assert "Sleep and shift work" in text
    assert world.group.name in text
    assert elsewhere.topic not in text
    assert world.other_group.name not in text


def test_dashboard_shows_unfilled_roles_agenda_status_and_rsvps(world, client_for, facilitator):
    meeting = world.meeting
    AgendaItem.objects.create(meeting=meeting, title="Check-in", minutes=20)
    AgendaItem.objects.create(meeting=meeting, title="Sharing", minutes=50)
    MeetingRole.objects.create(
        meeting=meeting, role=MeetingRole.Role.TIMEKEEPER, user=world.users["member"]
    )
    text = dashboard(client_for(facilitator))
    assert "2 items, 70 of 90 min" in text
    assert "Note-taker" in text and "Check-in lead" in text
    assert "Timekeeper" not in text.split("<tbody>")[1]
    assert "0 going" in text  # the RSVP column (issue 7)


def test_dashboard_leaves_out_cancelled_and_past_meetings(world, client_for, facilitator):
    MeetingFactory(group=world.group, topic="Called off", status=Meeting.Status.CANCELLED)
    MeetingFactory(
        group=world.group,
        topic="Long ago",
        starts_at=timezone.now() - datetime.timedelta(days=9),
    )
    text = dashboard(client_for(facilitator))
    assert "Called off" not in text and "Long ago" not in text


def test_organizer_sees_every_group_of_their_organisation(world, client_for, organizer):
    text = dashboard(client_for(organizer))
    assert world.group.name in text and world.other_group.name in text


def test_dashboard_empty_state(world, client_for):
    text = dashboard(client_for(world.users["other_organizer"]))
    assert "No upcoming meetings in the groups you run." in text


def test_dashboard_queries_do_not_grow_with_meetings_and_groups(world, client_for, facilitator):
    client = client_for(facilitator)

    def grow():
        for i in range(15):
            group = PeerGroupFactory(organisation=world.organisation)
            MembershipFactory(group=group, user=facilitator, role="facilitator")
            meeting = MeetingFactory(
                group=group, starts_at=timezone.now() + datetime.timedelta(days=1 + i)
            )
            AgendaItem.objects.create(meeting=meeting, title="Check-in", minutes=15)
            MeetingRole.objects.create(
                meeting=meeting, role=MeetingRole.Role.NOTE_TAKER, user=facilitator
            )

    assert_constant_queries(lambda: dashboard(client), grow, limit=12)


def test_seed_demo_gives_the_demo_facilitator_meetings_and_history(db, client_for):
    import io

    from django.core.management import call_command

    from members.models import User
    from sessions.models import Attendance

    call_command("seed_demo", stdout=io.StringIO())
    counts = Meeting.objects.count(), Attendance.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Meeting.objects.count(), Attendance.objects.count()) == counts
    assert Meeting.objects.filter(status=Meeting.Status.COMPLETED).count() >= 50
    assert Attendance.objects.filter(user__email="member@example.org").exists()
    text = dashboard(client_for(User.objects.get(email="facilitator@example.org")))
    assert "First Responders Peer Circle" in text
    assert "No upcoming meetings" not in text


def test_dashboard_pages_through_later_meetings(world, client_for, facilitator):
    start = timezone.now() + datetime.timedelta(days=30)
    for day in range(25):
        MeetingFactory(
            group=world.group,
            topic=f"Week plan {day:02d}",
            starts_at=start + datetime.timedelta(days=day),
        )
    client = client_for(facilitator)
    first = dashboard(client)
    assert "Week plan 00" in first and "Week plan 24" not in first
    assert 'href="?page=2"' in first and "Later meetings" in first
    assert "Sooner meetings" not in first

    later = client.get(URL, {"page": "2"}).content.decode()
    assert "Week plan 24" in later and "Week plan 00" not in later
    assert 'href="?page=1"' in later and "Sooner meetings" in later

    # A made-up page number is the first page, never an error.
    assert "Week plan 00" in client.get(URL, {"page": "-3x"}).content.decode()
    beyond = client.get(URL, {"page": "40"}).content.decode()
    assert "No more upcoming meetings." in beyond and 'href="?page=1"' in beyond
