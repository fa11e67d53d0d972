"""In Chromium: a group name and a meeting topic holding script are shown as text, never run.

The CSP would already block an inline script, so the test also checks the DOM: the payload
is visible as literal text and no element was created from it.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sessions.models import Meeting
from tests.factories import PASSWORD, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.browser import sign_in
from tests.reliability.conftest import report

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x id="pwned" onerror="window.__pwned=1">'


def assert_inert(page, text: str) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", page.url
    assert page.locator("#pwned").count() == 0, f"payload became markup on {page.url}"
    assert text in page.locator("main").inner_text(), f"payload not shown as text on {page.url}"


def test_script_in_a_group_name_and_meeting_topic_stays_text(page, transactional_db):
    group = PeerGroupFactory(name="Tide Circle", time_zone="Europe/London")
    facilitator = UserFactory(email="fac@example.net", display_name="Frankie")
    member = UserFactory(email="maya@example.net", display_name="Maya")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    MembershipFactory(group=group, user=member)
    name = f"Tide {SCRIPT}"[:120]
    topic = f"Sleep {SCRIPT} {IMG}"

    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/edit/")
    page.locator("#id_name").fill(name)
    with page.expect_navigation():
        # The edit form's own button (the footer's language switcher is a form too).
        page.get_by_role("main").locator("form [type=submit]").last.click()
    group.refresh_from_db()
    assert group.name == name, "the edit form did not save the name"

    page.goto(f"/meetings/group/{group.slug}/new/")
    page.locator("#id_date").fill((timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    page.locator("#id_start_time").fill("18:30")
    page.locator("#id_end_time").fill("20:00")
    page.get_by_label("Topic").fill(topic)
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text(topic).first.wait_for()
    meeting = Meeting.objects.get(group=group)

    pages = [
        (f"/meetings/{meeting.pk}/", topic),
        (f"/meetings/group/{group.slug}/", topic),
        ("/meetings/mine/", topic),
        (f"/groups/{group.slug}/", name),
        ("/groups/", name),
    ]
    for url, text in pages:
        page.goto(url)
        assert_inert(page, text)

    page.context.clear_cookies()
    sign_in(page, member.email, PASSWORD)
    for url, text in [(f"/meetings/{meeting.pk}/", topic), ("/me/groups/", name)]:
        page.goto(url)
        assert_inert(page, text)
    report("escaping", f"{len(pages) + 2} pages checked in Chromium, stored script never ran")
