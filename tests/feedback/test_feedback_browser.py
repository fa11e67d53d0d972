"""In Chromium: an attendee answers the check-in survey from the email link and cannot
answer again; a member adds a suggestion, the facilitator marks it planned, the member
sees it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from feedback.models import CheckinResponse
from feedback.services import checkin_release, suggestions_release_due
from sessions.reminders import checkin_invitations_send
from tests.factories import PASSWORD, MembershipFactory, PeerGroupFactory, UserFactory
from tests.feedback.conftest import past_meeting_for
from tests.fixtures.browser import axe_check, sign_in
from tests.fixtures.mail import body_text

pytestmark = pytest.mark.browser


def _people():
    group = PeerGroupFactory(name="Harbour Circle")
    member = UserFactory(email="sam@example.net", display_name="Sam")
    facilitator = UserFactory(email="kim@example.net", display_name="Kim")
    MembershipFactory(group=group, user=member)
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    return group, member, facilitator


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_attendee_answers_the_survey_from_the_email_link_once(page, smtp_sink):
    group, member, _facilitator = _people()
    meeting = past_meeting_for(group, present=[member])
    checkin_invitations_send(meeting_id=meeting.pk)
    [message] = smtp_sink.wait_for(1)
    link = re.search(r"https?://\S+/feedback/meetings/\d+/checkin/", body_text(message)).group(0)

    sign_in(page, member.email, PASSWORD)
    page.goto(urlsplit(link).path)
    page.get_by_text("Your answers are anonymous").wait_for()
    axe_check(page)
    for name, value in [("heard", 8), ("mattered", 7), ("method", 9), ("overall", 9)]:
        page.locator(f"input[name=rating_{name}][value='{value}']").check()
    page.locator("input[name=mood_before][value='2']").check()
    page.locator("input[name=mood_after][value='4']").check()
    page.get_by_label("Anything else").fill("Thank you all")
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("saved anonymously").wait_for()
    assert "already answered" in page.content()
    assert page.get_by_role("button", name="Send my answers").count() == 0
    page.goto(urlsplit(link).path)
    assert "already answered" in page.content()
    # Held until the survey closes; then one answer is written.
    assert not CheckinResponse.objects.exists()
    assert checkin_release(meeting_id=meeting.pk) == 1
    assert CheckinResponse.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_suggests_facilitator_plans_member_sees_it(page):
    group, member, facilitator = _people()
    box = reverse("feedback:suggestions", args=[group.slug])

    sign_in(page, member.email, PASSWORD)
    page.goto(box)
    page.get_by_label("Kind").select_option("topic")
    page.get_by_label("Your suggestion").fill("Could we talk about sleep?")
    page.get_by_role("button", name="Add my suggestion").click()
    # Anonymous (the default): it joins the box with the others at beat's next run.
    page.get_by_text("Thank you. Anonymous suggestions are added to the box together").wait_for()
    axe_check(page)
    assert suggestions_release_due() == 1

    page.context.clear_cookies()
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(box)
    page.get_by_role("link", name="Respond").first.click()
    page.get_by_label("Status").select_option("planned")
    page.get_by_label("Short reply").fill("Next month's topic.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Members now see the new status").wait_for()

    page.context.clear_cookies()
    sign_in(page, member.email, PASSWORD)
    page.goto(box)
    item = page.locator("li", has_text="Could we talk about sleep?")
    assert "Planned" in item.inner_text()
    assert "Next month's topic." in item.inner_text()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wellbeing_trend_and_checkout_qr_pass_axe(page):
    group, member, facilitator = _people()
    meeting = past_meeting_for(group, hours_ago=-0.5)  # running now

    sign_in(page, member.email, PASSWORD)
    page.goto(reverse("feedback:wellbeing"))
    for index, value in enumerate([4, 4, 3, 4, 4]):
        page.locator(f"input[name=item_{index}][value='{value}']").check()
    page.get_by_role("button", name="See my score").click()
    page.get_by_text("Only you can see your answers").wait_for()
    for index, value in enumerate([2, 1, 2, 2, 1]):
        page.locator(f"input[name=item_{index}][value='{value}']").check()
    page.get_by_role("button", name="See my score").click()
    page.get_by_text("things are hard at the moment").wait_for()
    assert page.get_by_role("img", name="wellbeing scores").count() == 1
    axe_check(page)

    page.context.clear_cookies()
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(reverse("feedback:checkout", args=[meeting.pk]))
    page.get_by_role("button", name="Open the check-out").click()
    page.get_by_text("open for everyone present").first.wait_for()
    assert page.locator("svg.feedback-qr").count() == 1
    axe_check(page)
