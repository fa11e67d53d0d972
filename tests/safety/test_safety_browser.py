"""Browser: asking for support and handling it are accessible (axe) end to end."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.browser import axe_check, sign_in

pytestmark = pytest.mark.browser


def test_member_asks_for_support_facilitator_handles_it(page, transactional_db):
    group = PeerGroupFactory(name="Calm Harbour")
    member = UserFactory(display_name="Jo")
    MembershipFactory(group=group, user=member)
    facilitator = UserFactory(display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")

    sign_in(page, member.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/support/")
    axe_check(page)
    page.get_by_label("Quietly, at the next meeting").check()
    page.get_by_label("Anything you'd like them to know (optional)").fill("A hard week")
    page.get_by_role("button", name="Ask the facilitators to reach out").click()
    page.get_by_text("Waiting for a facilitator").wait_for()

    page.context.clear_cookies()
    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/groups/{group.slug}/followups/")
    page.get_by_text("A hard week").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Mark as handled").click()
    page.get_by_text("Nobody is waiting for a facilitator to reach out.").wait_for()
