"""In Chromium: sign up, verify, ask to join, the facilitator approves, the member is in."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.browser import axe_check, sign_in
from tests.fixtures.mail import body_text

pytestmark = pytest.mark.browser

QUESTION = "What would you like from the group?"


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _sign_up(page, smtp_sink, email: str) -> None:
    page.goto("/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_display_name").fill("Robin")
    page.locator("#id_password1").fill("a-long-and-unusual-passphrase")
    page.locator("#id_password2").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    [message] = smtp_sink.wait_for(1)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body_text(message)).group(0)
    page.goto(_path(link))
    page.get_by_role("button", name="Confirm").click()


def test_visitor_signs_up_asks_to_join_and_is_approved(page, transactional_db, smtp_sink):
    group = PeerGroupFactory(
        name="Night Shift Circle",
        join_policy="approval",
        intake_questions=QUESTION,
        place="Room 4, Harbour Community Centre",
    )
    facilitator = UserFactory(email="fac@example.net", display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")

    _sign_up(page, smtp_sink, "robin@example.net")
    sign_in(page, "robin@example.net", "a-long-and-unusual-passphrase")
    page.goto(f"/groups/{group.slug}/join/")
    page.get_by_role("heading", name="Join Night Shift Circle").wait_for()
    assert "not a substitute for professional care" in page.content()
    axe_check(page)
    page.get_by_label(QUESTION).fill("Someone to talk to after hard shifts.")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Your request was sent").wait_for()
    page.get_by_role("cell", name="Waiting for approval").wait_for()

    smtp_sink.wait_for(2)
    [notice] = smtp_sink.to("fac@example.net")
    assert notice["Subject"] == "A new request to join your group"

    page.context.clear_cookies()
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/requests/")
    page.get_by_text("Someone to talk to after hard shifts.").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Approve and send").click()
    page.get_by_text("Request from Robin approved").wait_for()
    page.goto(f"/groups/{group.slug}/members/")
    page.get_by_role("cell", name="Robin", exact=True).wait_for()
    axe_check(page)

    page.context.clear_cookies()
    sign_in(page, "robin@example.net", "a-long-and-unusual-passphrase")
    page.goto(f"/groups/{group.slug}/inside/")
    page.get_by_role("heading", name="Night Shift Circle", level=1).wait_for()
    page.get_by_text("Room 4, Harbour Community Centre").wait_for()
    axe_check(page)
    approved = [m for m in smtp_sink.to("robin@example.net") if "request" in m["Subject"]]
    assert approved and approved[0]["Subject"] == "About your request to join a group"


def test_facilitator_invites_pairs_a_mentor_and_pages_are_accessible(page, transactional_db):
    group = PeerGroupFactory(name="Quiet Harbour", join_policy="invitation", visibility="private")
    facilitator = UserFactory(display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    mentor = MembershipFactory(group=group, user=UserFactory(display_name="Sam"))
    mentor.willing_to_mentor = True
    mentor.save()
    newcomer = UserFactory(display_name="Alex")

    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/invitations/")
    page.get_by_label("Note for yourself (optional)").fill("for Alex")
    page.get_by_role("button", name="Create invitation link").click()
    page.get_by_text("Invitation link created").wait_for()
    axe_check(page)
    link = page.get_by_role("textbox", name="Invitation link").input_value()

    page.context.clear_cookies()
    page.goto(_path(link))
    page.get_by_role("heading", name="You are invited to join Quiet Harbour").wait_for()
    axe_check(page)
    sign_in(page, newcomer.email, PASSWORD)
    page.goto(_path(link))
    page.get_by_role("button", name="Join the group").click()
    page.get_by_text("Welcome to the group!").wait_for()

    page.context.clear_cookies()
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/mentors/")
    page.locator("#id_mentee").select_option(label="Alex")
    page.locator("#id_mentor").select_option(label="Sam")
    page.get_by_role("button", name="Pair them").click()
    page.get_by_text("Sam mentors Alex").wait_for()
    axe_check(page)

    page.context.clear_cookies()
    sign_in(page, newcomer.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/inside/")
    page.get_by_text("Your mentor is Sam").wait_for()
    page.goto("/me/groups/")
    page.get_by_role("link", name="Quiet Harbour").wait_for()
    axe_check(page)
    page.goto(f"/groups/{group.slug}/leave/")
    axe_check(page)
