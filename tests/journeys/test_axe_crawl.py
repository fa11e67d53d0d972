"""Every page a role can reach, found by following links (not listed by hand), passes axe.

For each role the crawler starts at the home page (whose menu is the role's menu), follows
same-origin GET links breadth-first and scans one page per URL pattern: the first address
found for each URL name. Each page is checked with axe (WCAG 2.0-2.2 A/AA rules) and for
horizontal scrolling at 320 px (WCAG 1.4.10 reflow) and at 640 px, which is what a 1280 px
window shows at 200 % zoom.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.factories import PASSWORD
from tests.fixtures.browser import axe_violations, preload_axe, sign_in
from tests.journeys.conftest import report
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.journey]

ROLES = ["anonymous", "member", "facilitator", "organizer"]
SERIOUS = {"serious", "critical"}
IMPACTS = ("critical", "serious", "moderate", "minor")
DESKTOP = {"width": 1280, "height": 900}
# Pages not scanned: signing out, one-click links from emails, downloads (feeds, .ics,
# .csv, exports), the Django admin, and anything that changes state when opened.
SKIPPED_PATHS = re.compile(
    r"/accounts/logout/|unsubscribe|/admin/|/feed/|\.ics$|\.csv$|\.json$|csv"
    r"|/meetings/rsvp/|/accounts/confirm-email/|/join/[^/]+/$"
)
# Exports are downloads, except the member's data export, a page to read.
SKIPPED_NAMES = re.compile(r"logout|unsubscribe|export(?!_html)|download|csv|_ics$|^meetings:feed$")
# Widths in CSS pixels: the WCAG reflow width on every page, and on every third page a
# 1280 px window at 200 % zoom (the same layout at 640 CSS px).
REFLOW_WIDTH, ZOOMED_WIDTH, ZOOM_SAMPLE = 320, 640, 3
# A link shown to a role that it may not follow, and why that is accepted.
KNOWN_DEAD_ENDS: set[str] = set()
# Elements wider than the viewport, to say what overflows when a page scrolls sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll('body *')]
    // The outermost elements that stick out, not everything inside them.
    .filter(e => e.getBoundingClientRect().right > width + 1
      && e.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (typeof e.className === 'string' && e.className.trim()
         ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
}"""


NARROW_AXE = """() => axe.run({resultTypes: ['violations'],
  runOnly: {type: 'rule', values: ['scrollable-region-focusable']}})"""


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _same_origin_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    links = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin and not SKIPPED_PATHS.search(parts.path):
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def crawl(page, origin: str) -> dict:
    """Scan one page per URL name reachable from the home page; return what was found."""
    queue, names = deque(["/"]), set()
    found = {"pages": [], "violations": [], "overflow": [], "errors": []}
    while queue:
        path = queue.popleft()
        name = _url_name(urlsplit(path).path)
        if name is None or name in names or SKIPPED_NAMES.search(name):
            continue
        names.add(name)
        response = page.goto(path)
        if (response is None or response.status >= 400) and name not in KNOWN_DEAD_ENDS:
            # A link this role is shown should lead somewhere it may go.
            found["errors"].append(f"{path} -> {response.status if response else 'nothing'}")
            continue
        # A redirect (to sign in, or to confirm the password) lands on a page of its own.
        landed = _url_name(urlsplit(page.url).path)
        if landed != name:
            if landed in names:
                continue
            names.add(landed)
            name, path = landed, page.url
        found["pages"].append(name)
        for violation in axe_violations(page):
            found["violations"].append((name, path, violation))
        widths = [REFLOW_WIDTH]
        if len(found["pages"]) % ZOOM_SAMPLE == 1:
            widths.append(ZOOMED_WIDTH)
        for width in widths:
            page.set_viewport_size({"width": width, "height": 800})
            if overflowing := page.evaluate(OVERFLOWING):
                found["overflow"].append(f"{path} at {width}px: {', '.join(overflowing)}")
            # What scrolls only on a phone must still be reachable by keyboard.
            for violation in page.evaluate(NARROW_AXE)["violations"]:
                found["violations"].append((name, f"{path} at {width}px", violation))
        page.set_viewport_size(DESKTOP)
        queue.extend(_same_origin_links(page, origin))
    return found


def _describe(violation: dict) -> str:
    targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"


@pytest.mark.ignore_template_errors  # allauth's templates; the access matrix checks ours
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
# About 165 pages in one test (one world serves every role): 160-205 s on a 2-core
# machine busy with other test runs, close to the suite-wide 300 s limit, raised here.
@pytest.mark.timeout(600)
def test_every_page_each_role_reaches_passes_axe_and_reflows(_browser, live_server):
    world = build_world()  # pages are only read: one world serves every role
    problems = []
    for role in ROLES:
        context = _browser.new_context(
            base_url=live_server.url, viewport=DESKTOP, reduced_motion="reduce"
        )
        context.set_default_timeout(15_000)
        preload_axe(context)
        page = context.new_page()
        if role != "anonymous":
            sign_in(page, world.users[role].email, PASSWORD)
        started = time.monotonic()
        found = crawl(page, live_server.url)
        seconds = time.monotonic() - started
        context.close()
        impacts = Counter(v["impact"] for _name, _path, v in found["violations"])
        report(
            f"axe crawl {role}: {len(found['pages'])} pages scanned; violations by impact: "
            + ", ".join(f"{i} {impacts.get(i, 0)}" for i in IMPACTS)
            + f"; sideways scrolling at 320 px / 200 % zoom: {len(found['overflow'])}"
            + f" ({seconds:.0f} s)"
        )
        assert len(found["pages"]) >= 5, f"{role}: the crawl found almost nothing"
        problems += [
            f"{role} {path}: {_describe(v)}"
            for _name, path, v in found["violations"]
            if v["impact"] in SERIOUS
        ]
        problems += [f"{role} {line}" for line in found["overflow"] + found["errors"]]
    assert not problems, "\n".join(problems)
