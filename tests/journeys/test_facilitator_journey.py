"""A facilitator's week, in Chromium, by clicking from their home page, with the Celery
worker and the SMTP sink.

Two-step sign-in, then the home page once: a join request that arrives by email, the
attendance of yesterday's meeting, tonight's meeting in the live view (check-in, round
robin, timer), the anonymous check-in results, and editing next week's meeting. Each
task has a click budget (`Clicks`). Members' own steps (asking to join, answering the
survey) are done with the services their pages call; the member's journey drives those.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from feedback.services import checkin_release, checkin_submit, question_set_current
from groups.services.membership import membership_request
from sessions.models import Attendance, Meeting
from sessions.services.agenda import agenda_start_from_default
from tests.factories import (
    PASSWORD,
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
)
from tests.fixtures.browser import axe_check, sign_in
from tests.journeys.support import Clicks, mail_to, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.worker]

FACILITATOR = "frankie@example.net"
GROUP = "Blue Light Circle"
AGENDA_ITEMS = 5  # the first responders' template, chosen from the group's audience
# Enough answers for the small-number rule (SMALL_NUMBER_THRESHOLD, 5) to show figures.
REGULARS = ["Alex", "Jo", "Kim", "Lee", "Max"]


def _meeting(group, *, hours: float, topic: str) -> Meeting:
    starts = (timezone.now() + datetime.timedelta(hours=hours)).replace(second=0, microsecond=0)
    return MeetingFactory(
        group=group, topic=topic, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1.5)
    )


def _seed():
    group = PeerGroupFactory(
        name=GROUP,
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
    publish_agreement(group, by=facilitator)
    yesterday = _meeting(group, hours=-26, topic="Nights and family life")
    tonight = _meeting(group, hours=0, topic="Tonight's circle")
    agenda_start_from_default(meeting=tonight)
    next_week = _meeting(group, hours=24 * 7, topic="Sleep after night shifts")
    return group, regulars, (yesterday, tonight, next_week)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_facilitator_approves_takes_attendance_runs_live_reads_results_and_edits(
    page, celery_worker, smtp_sink
):
    group, regulars, (yesterday, _tonight, next_week) = _seed()
    sam = UserFactory(email="sam@example.net", display_name="Sam")
    sign_in(page, FACILITATOR, PASSWORD)  # with the authenticator code
    clicks = Clicks(page)
    clicks.open_home()
    page.get_by_role("heading", name="Welcome, Frankie").wait_for()

    membership_request(group=group, user=sam, answers=[("Why?", "After a hard winter.")])
    mail_to(smtp_sink, FACILITATOR, "A new request to join your group")
    with clicks.task("answer a request to join", budget=4):
        clicks.link("Home", exact=True)
        screenshots(page, "facilitator-home")
        axe_check(page)
        clicks.link(f"{GROUP}: 1 request to join")
        page.get_by_text("After a hard winter.").wait_for()
        clicks.button("Approve and send")
        page.get_by_text("Request from Sam approved").wait_for()
    mail_to(smtp_sink, sam.email, "About your request to join a group")

    with clicks.task("take yesterday's attendance", budget=4):
        clicks.link("Home", exact=True)
        # Tonight's meeting has started too; the list is latest first.
        clicks.click(page.get_by_role("link", name=f"Take attendance: {GROUP}").last)
        page.get_by_role("heading", name="Attendance", level=1).wait_for()
        for name in REGULARS:
            page.get_by_role("group", name=name).get_by_label("Present").check()
        clicks.button("Save attendance")
        page.get_by_text("Attendance saved").wait_for()
    present = Attendance.objects.filter(meeting=yesterday, status="present")
    assert set(present.values_list("user__display_name", flat=True)) == set(REGULARS)

    with clicks.task("open tonight's meeting in the live view", budget=5):
        clicks.link("Home", exact=True)
        clicks.link("All the meetings you run")
        row = page.get_by_role("row").filter(has_text="Tonight's circle")
        clicks.link(re.compile("."), within=row)
        clicks.link("Run the meeting (live view)")
        page.get_by_role("heading", name="Live meeting").wait_for()
    _run_the_live_meeting(clicks, page)

    _everyone_answers_the_survey(group, yesterday, regulars)
    with clicks.task("read the check-in results", budget=4):
        clicks.link("Home", exact=True)
        clicks.link(f"Feedback dashboard of {GROUP}")
        page.get_by_role("heading", name="At a glance").wait_for()
        page.locator("#details-perception > summary").click()  # the details are folded
        page.get_by_text("Anonymous check-in answers in the period: 5.").wait_for()
    assert "Mood before meetings: 2" in page.content()
    screenshots(page, "checkin-results")
    axe_check(page)

    _edit_next_weeks_meeting(clicks, page, next_week)


def _run_the_live_meeting(clicks, page) -> None:
    clicks.button("Start the meeting")
    page.get_by_text(f"Item 1 of {AGENDA_ITEMS}").wait_for()
    clock = page.locator("[data-countdown]")
    assert re.fullmatch(r"-?\d\d:\d\d", clock.inner_text())
    clicks.button("Next item")
    page.get_by_text(f"Item 2 of {AGENDA_ITEMS}").wait_for()
    for name in ("Sam", "Alex"):
        clicks.button(f"Check in {name}")
        page.get_by_role("button", name=f"Undo check-in of {name}").wait_for()
    page.get_by_text("2 people present.").wait_for()
    clicks.button("Shuffle the speaking order")
    first = page.locator("#live-speaker strong").inner_text()
    assert first in {"Sam", "Alex"}
    clicks.button("Next speaker")
    page.locator("#live-speaker strong").filter(has_not_text=first).wait_for()
    screenshots(page, "live-meeting")
    axe_check(page)


def _everyone_answers_the_survey(group, meeting, people) -> None:
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


def _edit_next_weeks_meeting(clicks, page, meeting) -> None:
    with clicks.task("edit next week's meeting", budget=5):
        clicks.link("Home", exact=True)
        clicks.link("All the meetings you run")
        row = page.get_by_role("row").filter(has_text="Sleep after night shifts")
        clicks.link(re.compile("."), within=row)
        clicks.link("Edit or move")
        page.get_by_label("Topic").wait_for()
        assert page.get_by_label("Topic").input_value() == "Sleep after night shifts"
        local = timezone.localtime(meeting.starts_at, ZoneInfo("Europe/London"))
        assert page.locator("#id_date").input_value() == local.date().isoformat()
        page.get_by_label("Topic").fill("Sleep, shifts and family")
        clicks.button("Save changes")
        page.get_by_text("The meeting is updated.").wait_for()
    meeting.refresh_from_db()
    assert meeting.topic == "Sleep, shifts and family"
