"""In Chromium: from a weekly series to running the meeting on a phone.

The facilitator schedules a weekly series, the meeting gets its agenda from the template,
an item is reordered by keyboard, a timekeeper is assigned, and the live view advances
two items (at 375px wide, surviving a reload). axe checks the agenda page and live view.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from sessions.models import Meeting, MeetingRole, RoleWillingness
from tests.factories import PASSWORD, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.browser import axe_check, sign_in

pytestmark = pytest.mark.browser

FIRST_RESPONDER_ITEMS = 5


def test_facilitator_plans_and_runs_a_meeting_in_the_browser(page, transactional_db):
    group = PeerGroupFactory(
        name="Blue Light Circle", audience="Paramedics and firefighters", time_zone="Europe/London"
    )
    facilitator = UserFactory(email="fac@example.net", display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    sam = UserFactory(display_name="Sam")
    MembershipFactory(group=group, user=sam)
    RoleWillingness.objects.create(group=group, user=sam, role="timekeeper")
    first = timezone.localdate() + datetime.timedelta(days=8)

    sign_in(page, "fac@example.net", PASSWORD)
    _schedule_weekly_series(page, group, first)
    meeting = Meeting.objects.filter(group=group).order_by("starts_at").first()
    assert meeting.agenda_items.count() == FIRST_RESPONDER_ITEMS, "agenda from the template"

    _reorder_by_keyboard(page, meeting)
    _assign_timekeeper(page, meeting, sam)
    _run_live_on_a_phone(page, meeting)


def _schedule_weekly_series(page, group, first) -> None:
    page.goto(f"/meetings/group/{group.slug}/new/")
    page.locator("#id_date").fill(first.isoformat())
    page.get_by_label("Starts (Europe/London time)").fill("18:30")
    page.get_by_label("Ends (Europe/London time)").fill("20:00")
    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_label("Or: number of meetings").fill("3")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("The series is scheduled. Its dates are below.").wait_for()
    assert Meeting.objects.filter(group=group).count() == 3


def _titles(meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def _reorder_by_keyboard(page, meeting) -> None:
    before = _titles(meeting)
    page.goto(f"/meetings/{meeting.pk}/agenda/")
    page.get_by_role("heading", name="Agenda", exact=True).wait_for()
    assert "90 of 90 minutes planned." in page.content()
    axe_check(page)
    button = page.get_by_role("button", name=re.compile(rf"^Move down\W+{re.escape(before[1])}$"))
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text(f"Moved “{before[1]}” to position 3.").wait_for(state="attached")
    expected = [before[0], before[2], before[1], *before[3:]]
    assert _titles(meeting) == expected
    # The page was not reloaded and focus stayed on the moved item's button.
    focused = page.evaluate("document.activeElement.textContent")
    assert before[1] in focused
    assert [t.strip() for t in page.locator(".agenda-item-title").all_inner_texts()] == expected
    axe_check(page)
    # With a mouse: drag the last item onto the first.
    ids = list(meeting.agenda_items.order_by("position").values_list("pk", flat=True))
    page.locator(f"#agenda-item-{ids[-1]}").drag_to(page.locator(f"#agenda-item-{ids[0]}"))
    page.get_by_text("The new order is saved.").wait_for(state="attached")
    assert list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)) == [
        ids[-1],
        *ids[:-1],
    ]


def _assign_timekeeper(page, meeting, sam) -> None:
    page.goto(f"/meetings/{meeting.pk}/roles/")
    page.get_by_role("heading", name="Roles for this meeting").wait_for()
    form = page.locator("#assign-timekeeper")
    assert form.get_by_label("Timekeeper for this meeting").input_value() == str(sam.pk)
    form.get_by_role("button", name="Confirm").click()
    page.get_by_text("Sam is the timekeeper.").wait_for()
    assert MeetingRole.objects.get(meeting=meeting, role="timekeeper").user == sam


def _run_live_on_a_phone(page, meeting) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/meetings/{meeting.pk}/live/")
    page.get_by_role("heading", name="Live meeting").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Start the meeting").click()
    page.get_by_text("Item 1 of 5").wait_for()
    for n in (2, 3):
        page.get_by_role("button", name="Next item").click()
        page.get_by_text(f"Item {n} of 5").wait_for()
    page.reload()
    page.get_by_text("Item 3 of 5").wait_for()
    clock = page.locator("[data-countdown]")
    assert re.fullmatch(r"-?\d\d:\d\d", clock.inner_text())
    meeting.refresh_from_db()
    assert meeting.live_item == 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
