"""In Chromium: a facilitator schedules a weekly series, opens a meeting and the dashboard."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sessions.models import Meeting
from tests.factories import PASSWORD, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.browser import axe_check, sign_in

pytestmark = pytest.mark.browser


def test_facilitator_schedules_a_weekly_series_in_the_browser(page, transactional_db):
    group = PeerGroupFactory(name="Night Shift Circle", time_zone="Europe/London")
    facilitator = UserFactory(email="fac@example.net", display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    first = timezone.localdate() + datetime.timedelta(days=8)

    sign_in(page, "fac@example.net", PASSWORD)
    page.goto(f"/meetings/group/{group.slug}/new/")
    page.get_by_role("heading", name="Schedule a meeting").wait_for()
    axe_check(page)
    page.locator("#id_date").fill(first.isoformat())
    page.get_by_label("Starts (Europe/London time)").fill("18:30")
    page.get_by_label("Ends (Europe/London time)").fill("20:00")
    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_label("Or: number of meetings").fill("4")
    page.get_by_label("Topic").fill("Sleep after night shifts")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("The series is scheduled. Its dates are below.").wait_for()
    assert Meeting.objects.filter(group=group).count() == 4
    axe_check(page)

    page.locator(".list-group-item a").first.click()
    page.get_by_role("heading", name="Sleep after night shifts").wait_for()
    assert "18:30" in page.content()
    assert "(Europe/London)" in page.content()
    axe_check(page)

    page.goto("/meetings/mine/")
    page.get_by_role("heading", name="My upcoming meetings").wait_for()
    assert page.get_by_role("cell", name="Night Shift Circle").count() == 4
    axe_check(page)
