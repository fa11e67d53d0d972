"""In Chromium: the pages of issue 7 pass axe (My calendar, the attendance sheet, a
member's attendance record, the organisation's community calendar and an event)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sessions.services import events
from tests.factories import (
    PASSWORD,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
)
from tests.fixtures.browser import axe_check, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_calendar_attendance_and_event_pages_are_accessible(page):
    organisation = OrganisationFactory(name="Harbour Peer Network", slug="harbour")
    group = PeerGroupFactory(organisation=organisation, format="in_person")
    member = UserFactory(display_name="Sam")
    facilitator = UserFactory(display_name="Frank")
    MembershipFactory(group=group, user=member)
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    starts = timezone.now() - datetime.timedelta(days=2)
    past = MeetingFactory(
        group=group, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90)
    )
    organizer = UserFactory()
    add_organizer(organizer, organisation)
    event = events.event_create(
        organisation=organisation,
        by=organizer,
        title="Open evening",
        day=datetime.date.today() + datetime.timedelta(days=9),
        start_time=datetime.time(18, 0),
        duration_minutes=90,
        time_zone="Europe/London",
        capacity=30,
        place="Town library",
    )

    sign_in(page, facilitator.email, PASSWORD)
    page.goto(f"/meetings/{past.pk}/attendance/")
    page.get_by_role("heading", name="Attendance", level=1).wait_for()
    axe_check(page)
    page.get_by_role("group", name="Sam").get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved (1 changed)").wait_for()
    page.context.clear_cookies()

    sign_in(page, member.email, PASSWORD)
    page.get_by_role("link", name="My calendar", exact=True).click()
    page.get_by_role("button", name="Create my feed").click()
    page.get_by_label("Your private feed address").wait_for()
    axe_check(page)
    page.get_by_role("link", name="My attendance record").click()
    today = timezone.localdate()
    page.get_by_label("From").fill((today - datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Until").fill(today.isoformat())
    axe_check(page)
    page.get_by_role("button", name="Create my attendance record").click()
    page.get_by_text("Verified: this record was issued by Harbour Peer Network").wait_for()
    assert page.get_by_text("90 minutes in all").is_visible()
    axe_check(page)

    page.goto("/meetings/org/harbour/calendar/")
    axe_check(page)
    page.get_by_role("link", name="Open evening").click()
    page.get_by_role("button", name="I'm coming").click()
    page.get_by_text("See you there").wait_for()
    assert "1 of 30 taken" in page.locator("#event-seats").inner_text()
    axe_check(page)
    assert event.pk
