"""A member's week, in Chromium, by clicking from their home page, following the emails
they receive through the real worker and SMTP sink.

After signing in, the home page is opened once; every other page is reached by a link or
button found by its visible name, each task within its click budget (`Clicks`). The
facilitator's side (marking attendance) is done with the services their pages call; the
facilitator's own journey drives those pages.

It runs in English, Spanish and French: Robin's browser asks for the language, and the
organisation writes its emails in it (its default language, as Robin has chosen none).
Every name clicked, waited for or asserted comes from the catalogues (`Words`).
"""

from __future__ import annotations

import datetime
import re

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
from tests.fixtures.browser import axe_check, fits_narrow_screen, sign_in
from tests.journeys.support import LANGUAGES, Clicks, Words, mail_to, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.worker]

EMAIL = "robin@example.net"
GROUP = "Night Shift Circle"


def _seed(language: str):
    organisation = OrganisationFactory(name="Harbour Peer Network", default_language=language)
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


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_signs_rsvps_adds_to_calendar_answers_suggests_and_takes_a_break(
    page, celery_worker, smtp_sink, language
):
    say = Words(language)
    group, facilitator, robin, meeting = _seed(language)
    sign_in(page, EMAIL, PASSWORD)
    clicks = Clicks(page)
    clicks.open_home()
    page.get_by_role("heading", name=say("Welcome, %(name)s", name="Robin")).wait_for()
    screenshots(page, f"member-home-{language}")
    axe_check(page)
    fits_narrow_screen(page)

    with clicks.task("sign the group's agreement", budget=4):
        clicks.link(say("Read and sign the agreement of %(name)s", name=GROUP))
        page.get_by_label(say("I have read this agreement and I agree to keep it.")).check()
        page.get_by_label(say("Type your full name to sign")).fill("Robin Example")
        clicks.button(say("Sign the agreement"))
        page.get_by_text(
            say("Thank you for signing. You can now see the meeting place and link.")
        ).wait_for()
    assert Signature.objects.filter(member=robin, group=group).exists()

    with clicks.task("find the next meeting and RSVP", budget=4):
        clicks.link(say("Home"), exact=True)
        upcoming = page.get_by_role("region", name=say("Your next meetings"))
        upcoming.get_by_text(say("Not answered yet")).wait_for()
        clicks.button(say("I'm going"), within=upcoming)
        page.get_by_text(
            say("You're going. A confirmation with a calendar invite is on its way.")
        ).wait_for()
    assert Rsvp.objects.get(meeting=meeting, user=robin).status == "going"
    _read_the_invite(smtp_sink, meeting, say)
    assert send_due_reminders() == 1  # what beat runs every five minutes
    reminder = mail_to(
        smtp_sink,
        EMAIL,
        _subject(_up_to(say, "Reminder: your meeting on %(day)s at %(time)s", "day")),
    )
    meets_on = _up_to(
        say, "This is a reminder that %(group)s meets on %(when)s (%(zone)s).", "when", group=GROUP
    )
    assert meets_on in reminder.get_body(("plain",)).get_content()

    with clicks.task("add the meeting to my calendar", budget=4):
        upcoming = page.get_by_role("region", name=say("Your next meetings"))
        clicks.link("Sleep after night shifts", within=upcoming)
        page.get_by_role("heading", name="Sleep after night shifts", level=1).wait_for()
        screenshots(page, f"meeting-{language}")
        with page.expect_download() as download:
            clicks.link(say("Add to calendar (.ics)"))
    [event] = icalendar.Calendar.from_ical(download.value.path().read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_at

    _the_meeting_takes_place(meeting, robin, facilitator)
    mail_to(smtp_sink, EMAIL, _subject(say("How was your meeting? Two minutes, anonymous")))
    with clicks.task("answer the check-in survey", budget=4):
        clicks.link(say("Home"), exact=True)
        clicks.link(_up_to(say, "Check-in survey: %(group)s, %(when)s", "when", group=GROUP))
        page.get_by_text(say("Your answers are anonymous")).wait_for()
        for name, value in [("heard", 8), ("mattered", 7), ("method", 9), ("overall", 9)]:
            page.locator(f"input[name=rating_{name}][value='{value}']").check()
        page.locator("input[name=mood_before][value='2']").check()
        page.locator("input[name=mood_after][value='4']").check()
        clicks.button(say("Send my answers"))
        page.get_by_text(
            say(
                "Thank you. Your answers were saved anonymously; they are added to the "
                "results with everyone else's when the survey closes."
            )
        ).wait_for()
    # Held until the survey closes, then written with everyone else's.
    assert not CheckinResponse.objects.filter(meeting=meeting).exists()
    assert checkin_release(meeting_id=meeting.pk) == 1
    assert CheckinResponse.objects.filter(meeting=meeting).count() == 1

    with clicks.task("find the suggestion box", budget=5):
        _open_the_member_area(clicks, page, say)
        clicks.link(say("Suggestion box"))
        page.get_by_role("heading", name=say("Suggestion box")).first.wait_for()
    axe_check(page)
    fits_narrow_screen(page)

    with clicks.task("take a break", budget=5):
        _open_the_member_area(clicks, page, say)
        clicks.button(say("Take a break"))
        page.get_by_role("heading", name=say("You are on a break")).wait_for()
    assert Membership.objects.get(group=group, user=robin).status == "on_break"
    screenshots(page, f"on-a-break-{language}")
    clicks.button(say("I'm back"))
    page.get_by_text(say("Welcome back!")).wait_for()
    assert Membership.objects.get(group=group, user=robin).status == "active"


def _up_to(say, msgid: str, cut: str, **values) -> str:
    """What `msgid` says in the journey's language up to its `%(cut)s` (a date or time the
    journey doesn't spell out), with the placeholders before it filled from `values`."""
    filled = {name: values.get(name, "") for name in re.findall(r"%\((\w+)\)s", msgid)}
    filled[cut] = "\0"
    return say(msgid, **filled).split("\0")[0].rstrip()


def _subject(text: str) -> str:
    """`text` as a subject line is sent: one line, plain spaces (French puts a no-break
    space before its colons and question marks; members.notifications.message)."""
    return " ".join(text.split())


def _read_the_invite(smtp_sink, meeting, say) -> None:
    subject = _subject(_up_to(say, "You're going: your meeting on %(day)s", "day"))
    confirmation = mail_to(smtp_sink, EMAIL, subject)
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


def _open_the_member_area(clicks, page, say) -> None:
    """Home, the group in "Your groups", then its member area: three clicks."""
    clicks.link(say("Home"), exact=True)
    clicks.link(GROUP, within=page.get_by_role("region", name=say("Your groups")), exact=True)
    clicks.link(say("Go to your group's page"))
    page.get_by_text(say("Member area")).wait_for()
