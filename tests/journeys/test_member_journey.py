"""A new member's whole path, in Chromium, following the emails they receive.

Real PostgreSQL, the Celery worker on Redis and the SMTP sink: every email below went
through the worker and an SMTP socket, and every link followed was read out of a message.
The facilitator's side (approving, marking attendance) is done with the services their
pages call; their own journey drives those pages.
"""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.utils import timezone

from feedback.models import CheckinResponse
from feedback.services import checkin_release
from groups.models import Membership
from groups.services.membership import membership_decide
from members.tasks import send_checkin_invitations, send_due_reminders
from sessions.models import Meeting
from sessions.services.attendance import attendance_mark
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
)
from tests.fixtures.browser import axe_check
from tests.journeys.support import link_in, mail_to, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.worker]

EMAIL = "robin@example.net"
PASSPHRASE = "a-long-and-unusual-passphrase"
QUESTION = "What would you like from the group?"


def _seed():
    organisation = OrganisationFactory(name="Harbour Peer Network")
    group = PeerGroupFactory(
        organisation=organisation,
        name="Night Shift Circle",
        format="in_person",
        online_link="",
        topics=["ptsd"],
        join_policy="approval",
        intake_questions=QUESTION,
        place="Room 4, Harbour Community Centre",
    )
    facilitator = UserFactory(email="frankie@example.net", display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    publish_agreement(group, by=facilitator)
    PeerGroupFactory(organisation=organisation, name="Leeds Anxiety Circle", topics=["anxiety"])
    # Tomorrow, a little under a day away: the day-before reminder is due straight away.
    starts = (timezone.now() + datetime.timedelta(hours=23)).replace(second=0, microsecond=0)
    meeting = MeetingFactory(
        group=group, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90)
    )
    return group, facilitator, meeting


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_finds_joins_signs_rsvps_answers_takes_a_break_and_downloads(
    page, celery_worker, smtp_sink
):
    group, facilitator, meeting = _seed()

    _find_the_group(page)
    _sign_up_and_verify(page, smtp_sink)
    _ask_to_join(page, group)

    membership = Membership.objects.get(group=group, user__email=EMAIL)
    membership_decide(membership=membership, actor=facilitator, approve=True, message="Welcome!")
    approved = mail_to(smtp_sink, EMAIL, "About your request to join a group")
    page.goto(link_in(approved, r"/groups/[\w-]+/inside/$"))
    _sign_the_agreement(page)
    _rsvp_and_read_the_invite(page, smtp_sink, meeting)

    assert send_due_reminders() == 1  # what beat runs every five minutes
    reminder = mail_to(smtp_sink, EMAIL, "Reminder: your meeting on")
    assert "Night Shift Circle meets on" in reminder.get_body(("plain",)).get_content()

    _answer_the_checkin_survey(page, smtp_sink, meeting, facilitator)
    _take_a_break_and_come_back(page, group)
    _download_my_data(page)


def _find_the_group(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Find a group").first.click()
    page.get_by_role("heading", name="Find a peer support group", level=1).wait_for()
    screenshots(page, "directory")
    page.get_by_label("Search").fill("night shift")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 group found").wait_for()
    page.get_by_role("link", name="Night Shift Circle").click()
    page.get_by_role("heading", name="Night Shift Circle", level=1).wait_for()
    screenshots(page, "group-page")
    axe_check(page)


def _sign_up_and_verify(page, smtp_sink) -> None:
    page.get_by_role("link", name="Sign up").first.click()
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_display_name").fill("Robin")
    page.locator("#id_password1").fill(PASSPHRASE)
    page.locator("#id_password2").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    confirm = mail_to(smtp_sink, EMAIL, "Please Confirm Your Email Address")
    page.goto(link_in(confirm, r"/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("You have confirmed").wait_for()
    if page.get_by_role("button", name="Sign In").count():
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSPHRASE)
        page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Sign out").wait_for()


def _ask_to_join(page, group) -> None:
    page.goto(group.get_absolute_url())
    page.get_by_role("link", name="Ask to join").click()
    page.get_by_role("heading", name="Join Night Shift Circle").wait_for()
    page.get_by_label(QUESTION).fill("Someone to talk to after hard shifts.")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Your request was sent").wait_for()
    axe_check(page)


def _sign_the_agreement(page) -> None:
    page.get_by_role("heading", name="Please sign your group's agreement").wait_for()
    page.get_by_role("link", name="Read and sign the agreement").click()
    page.get_by_text("What is shared here stays here.").wait_for()
    screenshots(page, "agreement")
    page.get_by_label("I have read this agreement and I agree to keep it.").check()
    page.get_by_label("Type your full name to sign").fill("Robin Example")
    page.get_by_role("button", name="Sign the agreement").click()
    page.get_by_text("Thank you for signing").wait_for()
    page.get_by_role("link", name="My groups").click()
    page.get_by_role("link", name="Night Shift Circle").click()
    page.get_by_text("Room 4, Harbour Community Centre").wait_for()
    screenshots(page, "member-area")


def _rsvp_and_read_the_invite(page, smtp_sink, meeting) -> None:
    page.goto(meeting.get_absolute_url())
    page.get_by_role("button", name="I'm going").click()
    page.get_by_text("You're going. A confirmation").wait_for()
    screenshots(page, "meeting")
    axe_check(page)
    confirmation = mail_to(smtp_sink, EMAIL, "You're going")
    [invite] = [
        part
        for part in confirmation.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    calendar = icalendar.Calendar.from_ical(invite.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") == meeting.ends_at
    assert str(event.get("summary")) == "Night Shift Circle"
    # Robin signed the agreement, so the invite carries the place.
    assert "Room 4" in str(event.get("location"))


def _answer_the_checkin_survey(page, smtp_sink, meeting, facilitator) -> None:
    # The meeting takes place; afterwards the facilitator marks who was there.
    ended = timezone.now() - datetime.timedelta(minutes=30)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=ended - datetime.timedelta(minutes=90), ends_at=ended
    )
    robin = Membership.objects.get(user__email=EMAIL).user
    attendance_mark(meeting=meeting, member=robin, status="present", by=facilitator)
    assert send_checkin_invitations() == 1  # beat, every fifteen minutes
    invitation = mail_to(smtp_sink, EMAIL, "How was your meeting?")
    page.goto(link_in(invitation, r"/feedback/meetings/\d+/checkin/$"))
    page.get_by_text("Your answers are anonymous").wait_for()
    screenshots(page, "checkin-survey")
    for name, value in [("heard", 8), ("mattered", 7), ("method", 9), ("overall", 9)]:
        page.locator(f"input[name=rating_{name}][value='{value}']").check()
    page.locator("input[name=mood_before][value='2']").check()
    page.locator("input[name=mood_after][value='4']").check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("saved anonymously").wait_for()
    # Held until the survey closes, then written with everyone else's.
    assert not CheckinResponse.objects.filter(meeting=meeting).exists()
    assert checkin_release(meeting_id=meeting.pk) == 1
    assert CheckinResponse.objects.filter(meeting=meeting).count() == 1


def _take_a_break_and_come_back(page, group) -> None:
    page.goto("/me/groups/")
    page.get_by_role("link", name="Night Shift Circle").click()
    page.get_by_role("button", name="Take a break").click()
    page.get_by_role("heading", name="You are on a break").wait_for()
    assert Membership.objects.get(group=group, user__email=EMAIL).status == "on_break"
    screenshots(page, "on-a-break")
    page.get_by_role("button", name="I'm back").click()
    page.get_by_text("Welcome back").wait_for()
    assert Membership.objects.get(group=group, user__email=EMAIL).status == "active"


def _download_my_data(page) -> None:
    page.goto("/me/data/")
    page.get_by_role("heading", name="Your data").wait_for()
    page.get_by_role("link", name="Read it as a web page").click()
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSPHRASE)
        page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Night Shift Circle").first.wait_for()
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as JSON").click()
    download = download_info.value
    assert EMAIL in download.path().read_text()
