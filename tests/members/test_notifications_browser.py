"""In Chromium: the notification preferences and unsubscribe pages work and pass axe
(issue 8)."""

from __future__ import annotations

import pytest

from members.models import NotificationPreference
from members.notifications import unsubscribe_token
from tests.factories import PASSWORD, UserFactory
from tests.fixtures.browser import axe_check, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_turns_off_an_email_and_unsubscribes_from_another(page):
    member = UserFactory(display_name="Sam")
    sign_in(page, member.email, PASSWORD)
    page.goto("/me/notifications/")
    axe_check(page)
    # One tick per kind and channel, each named by both.
    page.get_by_label("By email: A personal check-in from my facilitator").uncheck()
    page.get_by_label("In the app: The short check-in survey after a meeting").uncheck()
    page.get_by_label("2 hours before").check()
    page.get_by_label("Discreet mode").check()
    page.get_by_label("Quiet hours from").fill("22:00")
    page.get_by_label("Quiet hours until").fill("07:00")
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_text("Your notification preferences are saved.").wait_for()
    pref = NotificationPreference.objects.get(user=member)
    assert pref.muted_kinds == ["gentle_checkin"] and pref.reminder_offsets == [120]
    assert pref.app_muted_kinds == ["checkin_survey"]
    assert pref.has_quiet_hours and pref.quiet_from.hour == 22

    # The link in an email: a confirmation page first, then one click.
    page.goto(
        f"/me/notifications/unsubscribe/{unsubscribe_token(user=member, kind='goal_review')}/"
    )
    axe_check(page)
    page.get_by_role("button", name="Stop these emails").click()
    page.get_by_text("You won't get these emails any more").wait_for()
    axe_check(page)
    pref.refresh_from_db()
    assert set(pref.muted_kinds) == {"gentle_checkin", "goal_review"}
