"""The live meeting view: current item and countdown, speaking order, check-in."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from peersupport.errors import DomainError
from sessions.models import AgendaItem, Attendance, MeetingRole
from sessions.services import live as live_services

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(world):
    """The world's meeting, started five minutes ago: check-in is open."""
    meeting = world.meeting
    meeting.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(minutes=90)
    meeting.save()
    for i, (title, minutes) in enumerate([("Check-in", 15), ("Sharing", 30), ("Check-out", 10)]):
        AgendaItem.objects.create(meeting=meeting, position=i, title=title, minutes=minutes)
    return meeting


@pytest.fixture
def live(client_for, world):
    return client_for(world.users["facilitator"])


def step(client, meeting, action):
    return client.post(reverse("meetings:live_step", args=[meeting.pk]), {"action": action}, **HTMX)


def speakers(client, meeting, action):
    url = reverse("meetings:live_speakers", args=[meeting.pk])
    return client.post(url, {"action": action}, **HTMX)


def checkin(client, meeting, user, present=True):
    data = {"user": user.pk, **({"present": "on"} if present else {})}
    return client.post(reverse("meetings:live_checkin", args=[meeting.pk]), data, **HTMX)


def test_live_view_starts_then_advances_and_a_reload_carries_on(live, meeting):
    url = reverse("meetings:live", args=[meeting.pk])
    assert "Start the meeting" in live.get(url).content.decode()
    started = step(live, meeting, "start").content.decode()
    assert "Item 1 of 3" in started and "Check-in" in started
    assert "data-countdown" in started
    assert re.search(r">1[45]:[0-5]\d<", started), "about 15 minutes left on the clock"
    step(live, meeting, "next")
    body = live.get(url).content.decode()  # a reload: state is on the server
    assert "Item 2 of 3" in body and 'id="live-now">Sharing<' in body
    step(live, meeting, "previous")
    assert "Item 1 of 3" in live.get(url).content.decode()


def test_live_view_past_the_last_item_says_the_agenda_is_done(live, meeting):
    step(live, meeting, "start")
    for _ in range(5):
        step(live, meeting, "next")
    meeting.refresh_from_db()
    assert meeting.live_item == 3
    body = live.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "All agenda items are done." in body


def test_live_step_before_start_explains(live, meeting):
    body = step(live, meeting, "next").content.decode()
    assert "Start the meeting first." in body


def test_live_checkin_marks_present_and_can_be_undone(live, meeting, world):
    member = world.users["member"]
    body = checkin(live, meeting, member).content.decode()
    assert "1 person present." in body
    row = Attendance.objects.get(meeting=meeting, user=member)
    assert (row.status, row.marked_by) == ("present", world.users["facilitator"])
    checkin(live, meeting, member, present=False)
    assert not Attendance.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("who", ["outsider", "other_member", "pending", "on_break", "staff"])
def test_live_checkin_of_anyone_not_an_active_member_is_a_404(live, meeting, world, who):
    """A guessed account id answers 404 and never echoes the name behind it."""
    person = world.users[who]
    response = checkin(live, meeting, person)
    assert response.status_code == 404
    assert person.display_name not in response.content.decode()
    assert not Attendance.objects.exists()


def test_live_speaking_order_is_made_of_those_present(live, meeting, world):
    assert "Check people in first" in speakers(live, meeting, "shuffle").content.decode()
    checkin(live, meeting, world.users["member"])
    checkin(live, meeting, world.users["facilitator"])
    speakers(live, meeting, "shuffle")
    meeting.refresh_from_db()
    assert {e["user"] for e in meeting.speaking_order} == {
        world.users["member"].pk,
        world.users["facilitator"].pk,
    }
    assert world.users["pending"].pk not in {e["user"] for e in meeting.speaking_order}


def test_live_speaking_order_next_pass_and_skip(world, meeting):
    a, b, c = (world.users[r] for r in ("member", "facilitator", "on_break"))
    for person in (a, b, c):
        live_services.live_checkin(meeting=meeting, user=person, present=True, by=b)
    meeting.speaking_order = [{"user": p.pk, "status": "waiting"} for p in (a, b, c)]
    meeting.save()
    live_services.live_speakers(meeting=meeting, action="skip")  # a goes to the end
    meeting.refresh_from_db()
    assert [e["user"] for e in meeting.speaking_order] == [b.pk, c.pk, a.pk]
    live_services.live_speakers(meeting=meeting, action="next")  # b spoke
    live_services.live_speakers(meeting=meeting, action="pass")  # c passes
    meeting.refresh_from_db()
    assert [e["status"] for e in meeting.speaking_order] == ["spoke", "passed", "waiting"]
    assert meeting.speaking_position == 2
    live_services.live_speakers(meeting=meeting, action="next")
    with pytest.raises(DomainError, match="Everyone has had their turn"):
        live_services.live_speakers(meeting=meeting, action="next")


def test_live_view_shows_the_current_speaker(live, meeting, world):
    checkin(live, meeting, world.users["member"])
    body = speakers(live, meeting, "shuffle").content.decode()
    assert "Now: <strong>Member</strong>" in body


def test_late_arrival_joins_the_end_of_the_speaking_order(world, meeting):
    a, b = world.users["member"], world.users["facilitator"]
    live_services.live_checkin(meeting=meeting, user=a, present=True, by=b)
    live_services.live_speakers(meeting=meeting, action="shuffle")
    live_services.live_checkin(meeting=meeting, user=b, present=True, by=b)
    meeting.refresh_from_db()
    assert [e["user"] for e in meeting.speaking_order] == [a.pk, b.pk]


def test_the_timekeeper_may_open_the_live_view_other_members_may_not(client_for, world, meeting):
    url = reverse("meetings:live", args=[meeting.pk])
    member = world.users["member"]
    assert client_for(member).get(url).status_code == 404
    MeetingRole.objects.create(meeting=meeting, role="timekeeper", user=member)
    assert client_for(member).get(url).status_code == 200


def test_live_view_without_js_redirects_back(live, meeting):
    url = reverse("meetings:live_step", args=[meeting.pk])
    response = live.post(url, {"action": "start"})
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:live", args=[meeting.pk])


def test_live_view_of_a_cancelled_meeting_refuses_actions(live, meeting):
    meeting.status = "cancelled"
    meeting.save()
    assert "This meeting is cancelled." in step(live, meeting, "start").content.decode()


def test_live_checkin_days_before_the_meeting_is_refused(live, meeting, world):
    meeting.starts_at = timezone.now() + datetime.timedelta(days=3)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(minutes=90)
    meeting.save()
    body = checkin(live, meeting, world.users["member"]).content.decode()
    assert "Attendance can be taken once the meeting has started" in body
    assert not Attendance.objects.exists()


def _timekeeping(client_for, world, meeting, role):
    member = world.users["member"]
    MeetingRole.objects.create(meeting=meeting, role=role, user=member)
    return client_for(member)


def test_the_timekeeper_sees_timers_and_the_agenda_only(client_for, world, meeting):
    live_services.live_checkin(
        meeting=meeting, user=world.users["facilitator"], present=True, by=None
    )
    client = _timekeeping(client_for, world, meeting, "timekeeper")
    started = step(client, meeting, "start").content.decode()
    assert "Item 1 of 3" in started and "data-countdown" in started
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Next item" in page and "Sharing" in page
    # Nobody's name, presence or break; no check-in and no speaking order.
    for text in ("Facilitator", "On Break", "on a break", "present", "Check in", "Shuffle"):
        assert text not in page.split("<main", 1)[-1], text
    assert speakers(client, meeting, "shuffle").status_code == 404
    assert checkin(client, meeting, world.users["facilitator"], present=False).status_code == 404
    assert Attendance.objects.filter(meeting=meeting).count() == 1


def test_the_note_taker_follows_the_agenda_without_moving_it(client_for, world, meeting):
    client = _timekeeping(client_for, world, meeting, "note_taker")
    page = client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Sharing" in page and "The meeting has not started yet." in page
    assert "Start the meeting" not in page and "Check in" not in page
    assert step(client, meeting, "start").status_code == 404
    assert checkin(client, meeting, world.users["member"]).status_code == 404


# The live view's access-matrix rows (tests/access/rows_agenda.py), as the meeting's
# timekeeper and note-taker: a member of the group serving in that role.
LIVE_ROWS = {
    "meetings:live": {"timekeeper": 200, "note_taker": 200},
    "meetings:live_step": {"timekeeper": 302, "note_taker": 404},
    "meetings:live_speakers": {"timekeeper": 404, "note_taker": 404},
    "meetings:live_checkin": {"timekeeper": 404, "note_taker": 404},
}


@pytest.mark.parametrize("role", ["timekeeper", "note_taker"])
@pytest.mark.parametrize("name", list(LIVE_ROWS))
def test_live_access_matrix_rows_for_meeting_roles(client_for, world, meeting, role, name):
    from tests.access import load_matrix

    row = load_matrix().rows[name]
    client = _timekeeping(client_for, world, meeting, role)
    url = reverse(name, args=row.args(world))
    if row.method == "post":
        response = client.post(url, row.data(world) if row.data else {})
    else:
        response = client.get(url)
    assert response.status_code == LIVE_ROWS[name][role]
