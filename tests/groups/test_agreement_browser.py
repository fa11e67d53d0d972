"""In Chromium: a member is asked to sign, signs, sees the place and RSVPs; after a new
version the member is asked again (and gets an email) and the place is hidden again."""

from __future__ import annotations

import pytest

from tests.factories import (
    PASSWORD,
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
)
from tests.fixtures.browser import axe_check, sign_in

pytestmark = pytest.mark.browser

PLACE = "Room 7, Harbour Community Centre"


def test_member_signs_sees_the_place_and_is_asked_again_after_a_new_version(
    page, transactional_db, smtp_sink
):
    group = PeerGroupFactory(name="Harbour Evening Circle", format="hybrid", place=PLACE)
    facilitator = UserFactory(email="fac@example.net", display_name="Frankie")
    member = UserFactory(email="maya@example.net", display_name="Maya", full_name="Maya Lind")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    MembershipFactory(group=group, user=member)
    publish_agreement(group, by=facilitator)
    meeting = MeetingFactory(group=group, place=PLACE, facilitator=facilitator)

    sign_in(page, member.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/inside/")
    page.get_by_role("heading", name="Please sign your group's agreement").wait_for()
    assert PLACE not in page.content()
    page.get_by_role("link", name="Read and sign the agreement").click()
    page.get_by_text("What is shared here stays here.").wait_for()
    axe_check(page)
    page.get_by_label("I have read the online addendum and will follow it.").check()
    page.get_by_label("I have read this agreement and I agree to keep it.").check()
    page.get_by_label("Type your full name to sign").fill("maya  lind")
    page.get_by_role("button", name="Sign the agreement").click()
    page.get_by_text("Thank you for signing").wait_for()
    page.get_by_role("link", name="view or print").click()
    page.get_by_text("Maya Lind").wait_for()  # the typed name, as typed (spaces tidied)
    axe_check(page)
    page.goto(f"/groups/{group.slug}/inside/")
    page.get_by_text(PLACE).wait_for()
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="I'm going").click()
    page.locator("#rsvp-status").wait_for()
    assert "You're going" in page.locator("#rsvp-status").inner_text()

    page.context.clear_cookies()
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/agreement/manage/")
    axe_check(page)
    page.get_by_label("Agreement and ground rules").fill("We listen.\nWe start on time.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    page.get_by_role("button", name="Publish the saved draft as a new version").click()
    page.get_by_text("Version 2 is published").wait_for()
    page.get_by_role("link", name="See who has signed").click()
    maya_row = page.get_by_role("row").filter(has_text="Maya")
    maya_row.wait_for()
    assert "Still has to sign" in maya_row.inner_text()
    axe_check(page)

    smtp_sink.wait_for(2)  # the RSVP confirmation, then the re-sign request
    subjects = [m["Subject"] for m in smtp_sink.to(member.email)]
    assert subjects.count("Please read your group's updated agreement") == 1

    page.context.clear_cookies()
    sign_in(page, member.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/inside/")
    page.get_by_role("heading", name="Your group's agreement was updated").wait_for()
    assert PLACE not in page.content()
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_text("Please sign the group's current agreement to RSVP.").wait_for()
    assert PLACE not in page.content()
    page.goto(f"/groups/{group.slug}/inside/")
    page.get_by_role("link", name="Read and sign the agreement").click()
    page.get_by_text("We start on time.").wait_for()
