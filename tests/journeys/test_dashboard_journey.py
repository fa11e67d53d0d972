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

from feedback.dashboard.protection import threshold
from members.demo import DEMO_PASSWORD
from members.models import User
from tests.factories import give_mfa
from tests.fixtures.browser import ARTIFACTS, axe_check, fits_narrow_screen, sign_in
from tests.journeys.conftest import report
from tests.journeys.support import LANGUAGES, SCREENSHOTS, Words

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


def _compared_with(say, when: str) -> list[str]:
    """How a headline sentence that rose or fell names the period it is compared with:
    the words of the sentence just before `%(when)s` ("compared with the 12 months before"
    in English), for each direction."""
    found = []
    for sentence in (
        "%(name)s rose from %(before)s to %(now)s, compared with %(when)s.",
        "%(name)s fell from %(before)s to %(now)s, compared with %(when)s.",
    ):
        words = say(sentence).split("%(when)s")[0].rsplit(")s", 1)[1].lstrip(", ")
        found.append(words + when)
    return found


def _first_screen(page, say, label: str) -> None:
    """At each width: headline and needs attention above the fold, height, axe, picture."""
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        # The headline's first figure and the attention heading are both in view.
        first = page.locator(".headline-item").first.bounding_box()
        assert first["y"] + first["height"] <= size["height"], (label, width, first)
        assert _bottom(page, say("Needs attention")) <= size["height"], (label, width)
        first_item = page.locator(".dashboard-attention li").first.bounding_box()
        assert first_item["y"] + 16 <= size["height"], (label, width, first_item)
        height = page.evaluate("document.documentElement.scrollHeight")
        screens = height / size["height"]
        report(f"{label} dashboard at {width}: {height} px tall ({screens:.1f} screens)")
        if width == "desktop":
            assert height <= SCREENS * size["height"], (label, height)
        axe_check(page)
        fits_narrow_screen(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = f"dashboard-{label}-{width}-{say.language}.png"
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_organizer_reads_the_dashboard_in_a_minute_and_prints_the_report(page, demo, language):
    say = Words(language)
    sign_in(page, "organizer@example.org", DEMO_PASSWORD)
    page.goto(reverse("feedback:org_dashboard", args=["harbour-peer-network"]))
    headline = page.locator(".dashboard-headline")
    assert say("Members taking part") in headline.inner_text()
    # Plain words, against the period before, with a trend line and its text alternative.
    compared = _compared_with(say, say("the 12 months before"))
    assert any(words in headline.inner_text() for words in compared), compared
    assert page.locator(".dashboard-headline svg[role=img]").count() >= 4
    attention = page.locator(".dashboard-attention").inner_text()
    assert "Night Shift Check-in" in attention  # the demo group that falls
    assert say("Open concerns waiting") in attention
    # Small multiples, and the group under the threshold listed once below them.
    assert page.locator(".multiple").count() >= 8
    compare = page.locator(
        "section", has=page.get_by_role("heading", name=say("Groups side by side"))
    )
    assert "Bereaved Parents Circle" in compare.locator("p").last.inner_text()
    assert say("not enough responses yet") not in compare.inner_text()
    _first_screen(page, say, "organizer")

    # The details are folded, and open on demand with their charts.
    details = page.locator("#details-participation")
    chart = details.get_by_role("img", name=say("Attendance rate by month"))
    assert not chart.is_visible()
    page.locator("#details-participation > summary").click()
    chart.wait_for()
    axe_check(page)
    fits_narrow_screen(page)

    with page.expect_navigation():
        page.get_by_role("link", name=say("Report to print or send")).click()
    assert page.get_by_text("Harbour Peer Network").first.is_visible()
    page.get_by_role("heading", name=say("At a glance")).wait_for()
    anonymous = say(
        "All answers are anonymous. No figure here comes from fewer than %(n)s people or "
        'answers, so nobody can be singled out; where a figure would, it reads "not shown".',
        n=threshold(),
    )
    assert anonymous in page.locator(".funders-note").inner_text()
    axe_check(page)
    fits_narrow_screen(page)
    page.set_viewport_size(DESKTOP)
    report_picture = SCREENSHOTS / f"dashboard-report-desktop-{language}.png"
    page.screenshot(path=str(report_picture), full_page=True)
    assert page.get_by_role("button", name=say("Update the report")).is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name=say("Update the report")).is_visible()
    details = page.locator("#details-participation")
    assert details.get_by_role("img", name=say("Attendance rate by month")).is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / f"dashboard-report-{language}.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_facilitator_reads_their_groups_dashboard_in_a_minute(page, demo, language):
    say = Words(language)
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(reverse("feedback:group_dashboard", args=["first-responders-peer-circle"]))
    assert say("Attendance") in page.locator(".dashboard-headline").inner_text()
    attention = page.locator(".dashboard-attention").inner_text()
    assert say("Open concerns waiting") in attention
    assert (
        page.locator(".dashboard-attention")
        .get_by_role("link", name=say("Open the follow-ups"))
        .count()
    )
    _first_screen(page, say, "facilitator")
