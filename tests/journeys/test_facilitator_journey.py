"""A facilitator's week, in Chromium, by clicking from their home page, with the Celery
worker and the SMTP sink.

Two-step sign-in, then the home page once: a join request that arrives by email, the
attendance of yesterday's meeting, tonight's meeting in the live view (check-in, round
robin, timer), the anonymous check-in results, and editing next week's meeting. Each
task has a click budget (`Clicks`). Members' own steps (asking to join, answering the
survey) are done with the services their pages call; the member's journey drives those.

Run in each language the site speaks: the browser asks for it, the organisation speaks it
too (so the emails are in it), and every name is looked up in the catalogues (`Words`).
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
from tests.fixtures.browser import axe_check, fits_narrow_screen, sign_in
from tests.journeys.support import LANGUAGES, Clicks, Words, mail_to, screenshots

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


def _seed(language: str):
    group = PeerGroupFactory(
        organisation__default_language=language,
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


def _before(template: str, placeholder: str, **values) -> str:
    """The start of a translated `template` up to `placeholder` (a date, say, whose format
    is the language's own), with `values` filled in: "Take attendance: Blue Light Circle"."""
    start = template.split(f"%({placeholder})s")[0]
    assert start != template, f"{placeholder!r} is not in {template!r}"
    return (start % values).strip()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_facilitator_approves_takes_attendance_runs_live_reads_results_and_edits(
    page, celery_worker, smtp_sink, language
):
    say = Words(language)
    group, regulars, (yesterday, _tonight, next_week) = _seed(language)
    sam = UserFactory(email="sam@example.net", display_name="Sam")
    sign_in(page, FACILITATOR, PASSWORD)  # with the authenticator code
    clicks = Clicks(page)
    clicks.open_home()
    page.get_by_role("heading", name=say("Welcome, %(name)s", name="Frankie")).wait_for()

    membership_request(group=group, user=sam, answers=[("Why?", "After a hard winter.")])
    mail_to(smtp_sink, FACILITATOR, say("A new request to join your group"))
    with clicks.task("answer a request to join", budget=4):
        clicks.link(say("Home"), exact=True)
        screenshots(page, f"facilitator-home-{language}")
        axe_check(page)
        fits_narrow_screen(page)
        requests = "%(group)s: %(n)s request to join", "%(group)s: %(n)s requests to join"
        # (formatted here: `Words.plural`'s count is also called `n`)
        clicks.link(say.plural(*requests, 1) % {"group": GROUP, "n": 1})
        page.get_by_text("After a hard winter.").wait_for()
        clicks.button(say("Approve and send"))
        approved = "Request from %(name)s approved. We emailed them your message."
        page.get_by_text(say(approved, name="Sam")).wait_for()
    mail_to(smtp_sink, sam.email, say("About your request to join a group"))

    with clicks.task("take yesterday's attendance", budget=4):
        clicks.link(say("Home"), exact=True)
        # Tonight's meeting has started too; the list is latest first.
        take = _before(say("Take attendance: %(group)s, %(when)s"), "when", group=GROUP)
        clicks.click(page.get_by_role("link", name=take).last)
        page.get_by_role("heading", name=say("Attendance"), level=1).wait_for()
        for name in REGULARS:
            page.get_by_role("group", name=name).get_by_label(say("Present")).check()
        clicks.button(say("Save attendance"))
        page.get_by_text(say("Attendance saved (%(n)d changed).", n=len(REGULARS))).wait_for()
    present = Attendance.objects.filter(meeting=yesterday, status="present")
    assert set(present.values_list("user__display_name", flat=True)) == set(REGULARS)

    with clicks.task("open tonight's meeting in the live view", budget=5):
        clicks.link(say("Home"), exact=True)
        clicks.link(say("All the meetings you run"))
        row = page.get_by_role("row").filter(has_text="Tonight's circle")
        clicks.link(re.compile("."), within=row)
        clicks.link(say("Run the meeting (live view)"))
        page.get_by_role("heading", name=say("Live meeting")).wait_for()
    _run_the_live_meeting(clicks, page, say)

    _everyone_answers_the_survey(group, yesterday, regulars)
    with clicks.task("read the check-in results", budget=4):
        clicks.link(say("Home"), exact=True)
        clicks.link(say("Feedback dashboard of %(group)s", group=GROUP))
        page.get_by_role("heading", name=say("At a glance")).wait_for()
        page.locator("#details-perception > summary").click()  # the details are folded
        answers = "Anonymous check-in answers in the period: %(n)s."
        page.get_by_text(say(answers, n=5)).wait_for()
    # The average mood before, 2 (whatever the decimals: "2.0" today, even in es and fr).
    mood = say("Mood before meetings: %(before)s; after: %(after)s (1 to 5).")
    assert mood.split("%(before)s")[0] + "2" in page.locator("body").inner_text()
    screenshots(page, f"checkin-results-{language}")
    axe_check(page)
    fits_narrow_screen(page)

    _edit_next_weeks_meeting(clicks, page, next_week, say)


def _run_the_live_meeting(clicks, page, say) -> None:
    clicks.button(say("Start the meeting"))
    page.get_by_text(say("Item %(n)s of %(total)s", n=1, total=AGENDA_ITEMS)).wait_for()
    clock = page.locator("[data-countdown]")
    assert re.fullmatch(r"-?\d\d:\d\d", clock.inner_text())
    clicks.button(say("Next item"))
    page.get_by_text(say("Item %(n)s of %(total)s", n=2, total=AGENDA_ITEMS)).wait_for()
    for name in ("Sam", "Alex"):
        # The button says "Check in"; the name after it is for screen readers.
        clicks.button(f"{say('Check in')} {name}")
        undo = f"{say('Undo')} {say('check-in of %(name)s', name=name)}"
        page.get_by_role("button", name=undo).wait_for()
    present = "%(n)s person present.", "%(n)s people present."
    page.get_by_text(say.plural(*present, 2) % {"n": 2}).wait_for()
    clicks.button(say("Shuffle the speaking order"))
    first = page.locator("#live-speaker strong").inner_text()
    assert first in {"Sam", "Alex"}
    clicks.button(say("Next speaker"))
    page.locator("#live-speaker strong").filter(has_not_text=first).wait_for()
    screenshots(page, f"live-meeting-{say.language}")
    axe_check(page)
    fits_narrow_screen(page)


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


def _edit_next_weeks_meeting(clicks, page, meeting, say) -> None:
    with clicks.task("edit next week's meeting", budget=5):
        clicks.link(say("Home"), exact=True)
        clicks.link(say("All the meetings you run"))
        row = page.get_by_role("row").filter(has_text="Sleep after night shifts")
        clicks.link(re.compile("."), within=row)
        clicks.link(say("Edit or move"))
        topic = page.get_by_label(say("Topic"))
        topic.wait_for()
        assert topic.input_value() == "Sleep after night shifts"
        local = timezone.localtime(meeting.starts_at, ZoneInfo("Europe/London"))
        assert page.locator("#id_date").input_value() == local.date().isoformat()
        topic.fill("Sleep, shifts and family")
        clicks.button(say("Save changes"))
        page.get_by_text(say("The meeting is updated.")).wait_for()
    meeting.refresh_from_db()
    assert meeting.topic == "Sleep, shifts and family"
