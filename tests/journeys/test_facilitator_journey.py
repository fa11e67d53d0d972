"""A facilitator's week, in Chromium, with the Celery worker and the SMTP sink.

Two-step sign-in, a weekly series with its agenda, the agreement, a join request that
arrives by email, the live meeting (check-in, round robin, timer), attendance, and the
anonymous check-in results once enough people answered. Members' own steps (asking to
join, answering the survey) are done with the services their pages call; the member's
journey drives those pages.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from feedback.services import checkin_release, checkin_submit, question_set_current
from groups.services.membership import membership_request
from sessions.models import Attendance, Meeting
from tests.factories import PASSWORD, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.browser import axe_check, sign_in
from tests.journeys.support import link_in, mail_to, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.worker]

FACILITATOR = "frankie@example.net"
AGENDA_ITEMS = 5  # the first responders' template, chosen from the group's audience
# Enough answers for the small-number rule (SMALL_NUMBER_THRESHOLD, 5) to show figures.
REGULARS = ["Alex", "Jo", "Kim", "Lee"]


def _seed():
    group = PeerGroupFactory(
        name="Blue Light Circle",
        audience="Paramedics and firefighters",
        format="in_person",
        online_link="",
        time_zone="Europe/London",
        join_policy="approval",
        intake_questions="What would you like from the group?",
    )
    facilitator = UserFactory(email=FACILITATOR, display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    regulars = [MembershipFactory(group=group, user__display_name=n).user for n in REGULARS]
    sam = UserFactory(email="sam@example.net", display_name="Sam")
    return group, facilitator, regulars, sam


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_facilitator_schedules_publishes_approves_runs_and_reads_results(
    page, celery_worker, smtp_sink
):
    group, _facilitator, regulars, sam = _seed()
    sign_in(page, FACILITATOR, PASSWORD)  # with the authenticator code
    page.get_by_role("link", name="Sign out").wait_for()

    meeting = _schedule_a_weekly_series(page, group)
    _publish_the_agreement(page, group)
    _approve_a_join_request(page, group, sam, smtp_sink)

    # The day comes: the first meeting of the series starts now.
    starts = timezone.now().replace(second=0, microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90)
    )
    _run_the_live_meeting(page, meeting)
    _mark_attendance(page, meeting, regulars, sam)
    _read_the_checkin_results(page, group, meeting, [sam, *regulars])


def _schedule_a_weekly_series(page, group) -> Meeting:
    page.get_by_role("link", name="My meetings").first.click()
    page.goto(f"/meetings/group/{group.slug}/new/")
    page.get_by_role("heading", name="Schedule a meeting").wait_for()
    first = timezone.localdate() + datetime.timedelta(days=8)
    page.locator("#id_date").fill(first.isoformat())
    page.get_by_label("Starts (Europe/London time)").fill("18:30")
    page.get_by_label("Ends (Europe/London time)").fill("20:00")
    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_label("Or: number of meetings").fill("4")
    page.get_by_label("Topic").fill("Sleep after night shifts")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("The series is scheduled: 4 meetings").wait_for()
    screenshots(page, "series-scheduled")
    meeting = Meeting.objects.filter(group=group).order_by("starts_at").first()
    page.goto(f"/meetings/{meeting.pk}/agenda/")
    page.get_by_role("heading", name="Agenda", exact=True).wait_for()
    assert page.locator(".agenda-item-title").count() == AGENDA_ITEMS
    screenshots(page, "agenda")
    return meeting


def _publish_the_agreement(page, group) -> None:
    page.goto(f"/groups/{group.slug}/agreement/manage/")
    page.get_by_label("Agreement and ground rules").fill(
        "What is shared here stays here.\nOne person speaks at a time."
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    page.get_by_text("Version 1 is published").wait_for()
    axe_check(page)


def _approve_a_join_request(page, group, sam, smtp_sink) -> None:
    membership_request(group=group, user=sam, answers=[("Why?", "After a hard winter.")])
    notice = mail_to(smtp_sink, FACILITATOR, "A new request to join your group")
    page.goto(link_in(notice, r"/groups/[\w-]+/requests/$"))
    page.get_by_text("After a hard winter.").wait_for()
    page.get_by_role("button", name="Approve and send").click()
    page.get_by_text("Request from Sam approved").wait_for()
    mail_to(smtp_sink, sam.email, "About your request to join a group")


def _run_the_live_meeting(page, meeting) -> None:
    page.goto(f"/meetings/{meeting.pk}/live/")
    page.get_by_role("heading", name="Live meeting").wait_for()
    page.get_by_role("button", name="Start the meeting").click()
    page.get_by_text(f"Item 1 of {AGENDA_ITEMS}").wait_for()
    clock = page.locator("[data-countdown]")
    assert re.fullmatch(r"-?\d\d:\d\d", clock.inner_text())
    page.get_by_role("button", name="Next item").click()
    page.get_by_text(f"Item 2 of {AGENDA_ITEMS}").wait_for()

    for name in ("Sam", "Alex"):
        page.get_by_role("button", name=f"Check in {name}").click()
        page.get_by_role("button", name=f"Undo check-in of {name}").wait_for()
    page.get_by_text("2 people present.").wait_for()
    page.get_by_role("button", name="Shuffle the speaking order").click()
    first = page.locator("#live-speaker strong").inner_text()
    assert first in {"Sam", "Alex"}
    page.get_by_role("button", name="Next speaker").click()
    page.locator("#live-speaker strong").filter(has_not_text=first).wait_for()
    screenshots(page, "live-meeting")
    axe_check(page)


def _mark_attendance(page, meeting, regulars, sam) -> None:
    page.goto(f"/meetings/{meeting.pk}/attendance/")
    page.get_by_role("heading", name="Attendance", level=1).wait_for()
    for name in REGULARS[1:]:
        page.get_by_role("group", name=name).get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved").wait_for()
    present = Attendance.objects.filter(meeting=meeting, status="present")
    assert set(present.values_list("user__display_name", flat=True)) == {"Sam", *REGULARS}


def _read_the_checkin_results(page, group, meeting, people) -> None:
    # The meeting ends; each person answers the anonymous survey from their email.
    ended = timezone.now() - datetime.timedelta(minutes=5)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=ended - datetime.timedelta(minutes=90), ends_at=ended
    )
    meeting.refresh_from_db()
    version = question_set_current(organisation=group.organisation).version
    for person, overall in zip(people, [6, 7, 8, 9, 10], strict=True):
        checkin_submit(
            meeting=meeting,
            member=person,
            version=version,
            ratings={"heard": 8, "mattered": 8, "method": 8, "overall": overall},
            mood_before=2,
            mood_after=4,
        )
    # A week later the survey closes and beat adds the answers, all together.
    assert checkin_release(meeting_id=meeting.pk) == 5
    page.goto(f"/feedback/groups/{group.slug}/dashboard/")
    page.get_by_text("Anonymous check-in answers in the period: 5.").wait_for()
    assert "Mood before meetings: 2" in page.content()
    screenshots(page, "checkin-results")
    axe_check(page)
