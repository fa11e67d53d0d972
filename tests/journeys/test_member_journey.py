"""A member's week, in Chromium, by clicking from their home page, following the emails
they receive through the real worker and SMTP sink.

After signing in, the home page is opened once; every other page is reached by a link or
button found by its visible name, each task within its click budget (`Clicks`). The
facilitator's side (marking attendance) is done with the services their pages call; the
facilitator's own journey drives those pages.
"""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.utils import timezone

from feedback.models import CheckinResponse
from feedback.services import checkin_release
from groups.models import Membership, Signature
from sessions.models import Meeting, Rsvp
from sessions.services.attendance import attendance_mark
from sessions.tasks import send_checkin_invitations, send_due_reminders
from tests.factories import (
    PASSWORD,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
)
from tests.fixtures.browser import axe_check, sign_in
from tests.journeys.support import Clicks, mail_to, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.worker]

EMAIL = "robin@example.net"
GROUP = "Night Shift Circle"


def _seed():
    organisation = OrganisationFactory(name="Harbour Peer Network")
    group = PeerGroupFactory(
        organisation=organisation,
        name=GROUP,
        format="in_person",
        online_link="",
        topics=["ptsd"],
        place="Room 4, Harbour Community Centre",
    )
    facilitator = UserFactory(email="frankie@example.net", display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    robin = UserFactory(email=EMAIL, display_name="Robin", full_name="Robin Example")
    MembershipFactory(group=group, user=robin)
    publish_agreement(group, by=facilitator)
    # Tomorrow, a little under a day away: the day-before reminder is due straight away.
    starts = (timezone.now() + datetime.timedelta(hours=23)).replace(second=0, microsecond=0)
    meeting = MeetingFactory(
        group=group,
        topic="Sleep after night shifts",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
    )
    return group, facilitator, robin, meeting


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_signs_rsvps_adds_to_calendar_answers_suggests_and_takes_a_break(
    page, celery_worker, smtp_sink
):
    group, facilitator, robin, meeting = _seed()
    sign_in(page, EMAIL, PASSWORD)
    clicks = Clicks(page)
    clicks.open_home()
    page.get_by_role("heading", name="Welcome, Robin").wait_for()
    screenshots(page, "member-home")
    axe_check(page)

    with clicks.task("sign the group's agreement", budget=4):
        clicks.link(f"Read and sign the agreement of {GROUP}")
        page.get_by_label("I have read this agreement and I agree to keep it.").check()
        page.get_by_label("Type your full name to sign").fill("Robin Example")
        clicks.button("Sign the agreement")
        page.get_by_text("Thank you for signing").wait_for()
    assert Signature.objects.filter(member=robin, group=group).exists()

    with clicks.task("find the next meeting and RSVP", budget=4):
        clicks.link("Home", exact=True)
        upcoming = page.get_by_role("region", name="Your next meetings")
        upcoming.get_by_text("Not answered yet").wait_for()
        clicks.button("I'm going", within=upcoming)
        page.get_by_text("You're going. A confirmation").wait_for()
    assert Rsvp.objects.get(meeting=meeting, user=robin).status == "going"
    _read_the_invite(smtp_sink, meeting)
    assert send_due_reminders() == 1  # what beat runs every five minutes
    reminder = mail_to(smtp_sink, EMAIL, "Reminder: your meeting on")
    assert f"{GROUP} meets on" in reminder.get_body(("plain",)).get_content()

    with clicks.task("add the meeting to my calendar", budget=4):
        upcoming = page.get_by_role("region", name="Your next meetings")
        clicks.link("Sleep after night shifts", within=upcoming)
        page.get_by_role("heading", name="Sleep after night shifts", level=1).wait_for()
        screenshots(page, "meeting")
        with page.expect_download() as download:
            clicks.link("Add to calendar (.ics)")
    [event] = icalendar.Calendar.from_ical(download.value.path().read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_at

    _the_meeting_takes_place(meeting, robin, facilitator)
    mail_to(smtp_sink, EMAIL, "How was your meeting?")
    with clicks.task("answer the check-in survey", budget=4):
        clicks.link("Home", exact=True)
        clicks.link(f"Check-in survey: {GROUP}")
        page.get_by_text("Your answers are anonymous").wait_for()
        for name, value in [("heard", 8), ("mattered", 7), ("method", 9), ("overall", 9)]:
            page.locator(f"input[name=rating_{name}][value='{value}']").check()
        page.locator("input[name=mood_before][value='2']").check()
        page.locator("input[name=mood_after][value='4']").check()
        clicks.button("Send my answers")
        page.get_by_text("saved anonymously").wait_for()
    # Held until the survey closes, then written with everyone else's.
    assert not CheckinResponse.objects.filter(meeting=meeting).exists()
    assert checkin_release(meeting_id=meeting.pk) == 1
    assert CheckinResponse.objects.filter(meeting=meeting).count() == 1

    with clicks.task("find the suggestion box", budget=5):
        _open_the_member_area(clicks, page)
        clicks.link("Suggestion box")
        page.get_by_role("heading", name="Suggestion box").first.wait_for()
    axe_check(page)

    with clicks.task("take a break", budget=5):
        _open_the_member_area(clicks, page)
        clicks.button("Take a break")
        page.get_by_role("heading", name="You are on a break").wait_for()
    assert Membership.objects.get(group=group, user=robin).status == "on_break"
    screenshots(page, "on-a-break")
    clicks.button("I'm back")
    page.get_by_text("Welcome back").wait_for()
    assert Membership.objects.get(group=group, user=robin).status == "active"


def _read_the_invite(smtp_sink, meeting) -> None:
    confirmation = mail_to(smtp_sink, EMAIL, "You're going")
    [invite] = [
        part
        for part in confirmation.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    [event] = icalendar.Calendar.from_ical(invite.get_payload(decode=True)).walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") == meeting.ends_at
    assert str(event.get("summary")).startswith(GROUP)
    # Robin signed the agreement, so the invite carries the place.
    assert "Room 4" in str(event.get("location"))


def _the_meeting_takes_place(meeting, robin, facilitator) -> None:
    """It happened half an hour ago; the facilitator marked Robin present."""
    ended = timezone.now() - datetime.timedelta(minutes=30)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=ended - datetime.timedelta(minutes=90), ends_at=ended
    )
    meeting.refresh_from_db()
    attendance_mark(meeting=meeting, member=robin, status="present", by=facilitator)
    assert send_checkin_invitations() == 1  # beat, every fifteen minutes


def _open_the_member_area(clicks, page) -> None:
    """Home, the group in "Your groups", then its member area: three clicks."""
    clicks.link("Home", exact=True)
    clicks.link(GROUP, within=page.get_by_role("region", name="Your groups"), exact=True)
    clicks.link("Go to your group's page")
    page.get_by_text("Member area").wait_for()
