"""The dashboards read in a minute, on the demo organisation, as the organizer and as a
facilitator: the headline and "needs attention" are on the first screen at 1280 x 800
and on a 390 px phone, the page with its details folded is no longer than about three
screens, axe finds nothing, and the report for funders prints (to PDF) without the menus.
Screenshots at both widths go to test-artifacts/screenshots/."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.demo import DEMO_PASSWORD
from members.models import User
from tests.factories import give_mfa
from tests.fixtures.browser import ARTIFACTS, axe_check, sign_in
from tests.journeys.conftest import report
from tests.journeys.support import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.journey]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENS = 3.2  # "about three screens"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    for email in ("organizer@example.org", "facilitator@example.org"):
        user = User.objects.get(email=email)
        user.authenticator_set.all().delete()
        give_mfa(user)  # the tests' authenticator secret, so sign_in can type a code


def _bottom(page, name: str) -> float:
    box = page.get_by_role("heading", name=name, exact=True).bounding_box()
    assert box is not None, f"no heading {name!r}"
    return box["y"] + box["height"]


def _first_screen(page, label: str, name: str) -> None:
    """At each width: headline and needs attention above the fold, height, axe, picture."""
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        # The headline's first figure and the attention heading are both in view.
        first = page.locator(".headline-item").first.bounding_box()
        assert first["y"] + first["height"] <= size["height"], (label, width, first)
        assert _bottom(page, "Needs attention") <= size["height"], (label, width)
        first_item = page.locator(".dashboard-attention li").first.bounding_box()
        assert first_item["y"] + 16 <= size["height"], (label, width, first_item)
        height = page.evaluate("document.documentElement.scrollHeight")
        screens = height / size["height"]
        report(f"{label} dashboard at {width}: {height} px tall ({screens:.1f} screens)")
        if width == "desktop":
            assert height <= SCREENS * size["height"], (label, height)
        axe_check(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{label}-{width}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_the_organizer_reads_the_dashboard_in_a_minute_and_prints_the_report(page, demo):
    sign_in(page, "organizer@example.org", DEMO_PASSWORD)
    page.goto(reverse("feedback:org_dashboard", args=["harbour-peer-network"]))
    headline = page.locator(".dashboard-headline")
    assert "Members taking part" in headline.inner_text()
    # Plain words, against the period before, with a trend line and its text alternative.
    assert "compared with the 12 months before" in headline.inner_text()
    assert page.locator(".dashboard-headline svg[role=img]").count() >= 4
    attention = page.locator(".dashboard-attention").inner_text()
    assert "Night Shift Check-in" in attention  # the demo group that falls
    assert "Open concerns waiting" in attention
    # Small multiples, and the group under the threshold listed once below them.
    assert page.locator(".multiple").count() >= 8
    compare = page.locator("section", has=page.get_by_role("heading", name="Groups side by side"))
    assert "Bereaved Parents Circle" in compare.locator("p").last.inner_text()
    assert "not enough responses yet" not in compare.inner_text()
    _first_screen(page, "organizer", "organisation")

    # The details are folded, and open on demand with their charts.
    details = page.locator("#details-participation")
    chart = details.get_by_role("img", name="Attendance rate by month")
    assert not chart.is_visible()
    page.locator("#details-participation > summary").click()
    chart.wait_for()
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Report to print or send").click()
    assert page.get_by_text("Harbour Peer Network").first.is_visible()
    page.get_by_role("heading", name="At a glance").wait_for()
    assert "nobody can be singled out" in page.content()
    axe_check(page)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-report-desktop.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Update the report").is_visible()
    details = page.locator("#details-participation")
    assert details.get_by_role("img", name="Attendance rate by month").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "dashboard-report.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")


def test_a_facilitator_reads_their_groups_dashboard_in_a_minute(page, demo):
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(reverse("feedback:group_dashboard", args=["first-responders-peer-circle"]))
    assert "Attendance" in page.locator(".dashboard-headline").inner_text()
    attention = page.locator(".dashboard-attention").inner_text()
    assert "Open concerns waiting" in attention
    assert (
        page.locator(".dashboard-attention").get_by_role("link", name="Open the follow-ups").count()
    )
    _first_screen(page, "facilitator", "group")
