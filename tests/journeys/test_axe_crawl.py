"""Every page a person can reach, in every state they can be in, passes axe and what axe
cannot check.

For each role the crawler starts at the home page (whose menu is the role's menu), follows
same-origin GET links breadth-first and scans one page per URL pattern: the first address
found for each URL name. People in particular states (an agreement to sign again, on a
waitlist, a check-in survey open, on a break, a join request waiting, no group at all: the
empty states) are crawled from the pages those states show, within a smaller budget.

Each page is checked
- at 1280x800 with axe (WCAG 2.0-2.2 A/AA and best practices): critical, serious and
  moderate violations fail;
- at 390x844 (a phone) with the axe rules whose result depends on the layout (target size,
  contrast of what moves or collapses, scrolling regions, landmarks), and for sideways
  scrolling there and at 320 px (WCAG 1.4.10 reflow);
- at 1280 px with the text alone at 200 % (the root font size doubled, as a browser's text
  size setting does): nothing may scroll sideways (WCAG 1.4.4);
- for its title, which must say what the page is and about what: no two pages share one.
On each signed-in role's home page, the navigation fits one line at normal size and its
Tab order follows what is seen, with crisis help first, at normal size and at 200 % text.

A second test submits the main forms empty (focus must land on an announced summary whose
links lead to fields marked invalid and described by their error) and performs actions that
redirect (RSVP, signing) after which focus must be on the message saying what happened.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter, defaultdict, deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from tests.factories import (
    PASSWORD,
)
from tests.fixtures.browser import BEST_PRACTICE_TAGS, axe_violations, sign_in
from tests.journeys.axe_states import DESKTOP, _context, build_states
from tests.journeys.conftest import report
from tests.journeys.support import LANGUAGES, Words
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.journey]

# English, and French: the longest of our languages, where words that do not fit show first.
CRAWL_LANGUAGES = tuple(language for language in ("en", "fr") if language in LANGUAGES)

ROLES = ["anonymous", "member", "facilitator", "organizer"]
FAILING = {"critical", "serious", "moderate"}
IMPACTS = ("critical", "serious", "moderate", "minor")
PHONE = {"width": 390, "height": 844}
REFLOW_WIDTH = 320
# Rules whose result changes with the width: run again at phone width (the rest of axe's
# rules read the markup, which is the same at both widths).
PHONE_RULES = [
    "target-size",
    "color-contrast",
    "scrollable-region-focusable",
    "landmark-unique",
    "region",
    "nested-interactive",
]
# A role's crawl stops after this many pages (one per URL name); the organizer's and the
# facilitator's reach about 65 today.
PAGE_BUDGET = 110
# What the crawls of the people who run groups must reach: the tools of running a meeting
# (the check-in questions belong to the organisation: its organizers edit them).
RUNNERS_MUST_REACH = {
    "meetings:agenda",
    "meetings:roles",
    "meetings:notes",
    "meetings:debrief",
    "meetings:event_detail",
    "feedback:question_set",
}
# Pages not scanned: signing out, one-click links from emails, downloads (feeds, .ics,
# .csv, exports), the Django admin, and anything that changes state when opened.
SKIPPED_PATHS = re.compile(
    r"/accounts/logout/|unsubscribe|/admin/|/feed/|\.ics$|\.csv$|\.json$|csv"
    r"|/meetings/rsvp/|/accounts/confirm-email/|/join/[^/]+/$"
)
# Exports are downloads, except the member's data export, a page to read.
SKIPPED_NAMES = re.compile(r"logout|unsubscribe|export(?!_html)|download|csv|_ics$|^meetings:feed$")
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
TEXT_SIZE = "size => { document.documentElement.style.fontSize = size; }"
PHONE_AXE = """rules => axe.run({resultTypes: ['violations'],
  runOnly: {type: 'rule', values: rules}})"""
# The navigation's Tab stops in Tab order, with where each is drawn.
FOCUSED_BOX = """() => {
  const e = document.activeElement;
  if (!e || !e.closest('header')) return null;
  const r = e.getBoundingClientRect();
  return {text: (e.innerText || e.getAttribute('aria-label') || '').trim(),
          top: r.top, bottom: r.bottom, left: r.left, right: r.right};
}"""


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


# The language the page says it is in, and the one it is written in (its title).
LANG_OF = "() => document.documentElement.lang"


def check_page(page, path: str, found: dict, language: str = "en") -> None:
    """Everything checked on one page: axe at both widths, reflow, 200 % text, its title;
    and that it is in the language the browser asked for."""
    if (said := page.evaluate(LANG_OF)) != language:
        found["errors"].append(f"{path} is in {said!r}, not {language!r}")
    for violation in axe_violations(page, BEST_PRACTICE_TAGS):
        found["violations"].append((path, violation))
    found["titles"].append((page.title(), path))
    page.evaluate(TEXT_SIZE, "200%")
    if overflowing := page.evaluate(OVERFLOWING):
        found["overflow"].append(f"{path} at 1280px, text 200%: {', '.join(overflowing)}")
    page.evaluate(TEXT_SIZE, "")
    page.set_viewport_size(PHONE)
    for violation in page.evaluate(PHONE_AXE, PHONE_RULES)["violations"]:
        found["violations"].append((f"{path} at 390px", violation))
    for width in (PHONE["width"], REFLOW_WIDTH):
        if width == REFLOW_WIDTH:
            page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
        if overflowing := page.evaluate(OVERFLOWING):
            found["overflow"].append(f"{path} at {width}px: {', '.join(overflowing)}")
    page.set_viewport_size(DESKTOP)


def crawl(
    page, origin: str, *, start=("/",), budget: int = PAGE_BUDGET, language: str = "en"
) -> dict:
    """Scan one page per URL name reachable from `start`; return what was found."""
    queue, names = deque(start), set()
    found = {"pages": [], "violations": [], "overflow": [], "errors": [], "titles": []}
    while queue and len(found["pages"]) < budget:
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
        check_page(page, path, found, language)
        queue.extend(_same_origin_links(page, origin))
    return found


def _same_line(one: dict, other: dict) -> bool:
    return one["top"] < other["bottom"] and other["top"] < one["bottom"]


def navigation_problems(page, language: str = "en") -> list[str]:
    """On the current page: crisis help is the first Tab stop after the skip link and the
    first thing drawn; Tab order follows visual order; at normal size the menu is one line."""
    crisis_help = Words(language)("Crisis resources")
    problems = []
    for size in ("", "200%"):
        page.reload()  # Tab starts again from the top of the page
        page.evaluate(TEXT_SIZE, size)
        page.keyboard.press("Tab")  # the skip link
        stops = []
        for _ in range(20):
            page.keyboard.press("Tab")
            box = page.evaluate(FOCUSED_BOX)
            if box is None:
                break
            stops.append(box)
        label = f"text {size or '100%'}"
        if not stops or stops[0]["text"] != crisis_help:
            problems.append(f"{label}: the first Tab stop is {stops[:1]}, not crisis help")
        elif any(
            s["bottom"] <= stops[0]["top"]
            or (_same_line(s, stops[0]) and s["left"] < stops[0]["left"])
            for s in stops[1:]
        ):
            problems.append(f"{label}: something is drawn before crisis help")
        for before, after in itertools.pairwise(stops):
            same_line = _same_line(before, after)
            if (same_line and after["left"] < before["left"]) or (
                not same_line and after["top"] < before["top"]
            ):
                problems.append(
                    f"{label}: Tab goes from {before['text']!r} to {after['text']!r}, "
                    "against the visual order"
                )
        if not size and not all(_same_line(s, stops[0]) for s in stops):
            problems.append("text 100%: the navigation wraps onto a second line at 1280 px")
    page.evaluate(TEXT_SIZE, "")
    return problems


def _describe(violation: dict) -> str:
    targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"


def duplicate_titles(titles: list[tuple[str, str]]) -> list[str]:
    by_title = defaultdict(set)
    for title, path in titles:
        by_title[title].add(_url_name(urlsplit(path).path))
    return [f"title {t!r} on {sorted(n)}" for t, n in by_title.items() if len(n) > 1]


@pytest.mark.ignore_template_errors  # allauth's templates; the access matrix checks ours
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
# About 190 pages in one test (one world serves every role), each at three widths: a long
# test on a 2-core machine busy with other test runs, so the suite-wide limit is raised.
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("language", CRAWL_LANGUAGES)
def test_every_page_in_every_state_passes_axe_reflows_and_has_its_own_title(
    _browser, live_server, language
):
    world = build_world()  # pages are only read: one world serves every role
    states = build_states(world)
    people = [(role, world.users.get(role), ["/"], PAGE_BUDGET) for role in ROLES]
    # A state is seen on its own pages; everything else they reach, the roles' crawls scan.
    people += [(state, user, start, len(start)) for state, (user, start) in states.items()]
    problems, reached = [], set()
    began = time.monotonic()
    for who, user, start, budget in people:
        context = _context(_browser, live_server, language)
        page = context.new_page()
        if user is not None:
            sign_in(page, user.email, PASSWORD)
        started = time.monotonic()
        if who in ROLES and user is not None:
            page.goto("/")
            problems += [f"{who} navigation: {p}" for p in navigation_problems(page, language)]
        found = crawl(page, live_server.url, start=start, budget=budget, language=language)
        seconds = time.monotonic() - started
        context.close()
        impacts = Counter(v["impact"] for _path, v in found["violations"])
        report(
            f"axe crawl ({language}) {who}: {len(found['pages'])} pages scanned at 1280 and "
            "390 px; "
            "violations by impact: "
            + ", ".join(f"{i} {impacts.get(i, 0)}" for i in IMPACTS)
            + f"; sideways scrolling (390/320 px, 200 % text): {len(found['overflow'])}"
            + f" ({seconds:.0f} s)"
        )
        assert len(found["pages"]) >= min(budget, 5), f"{who}: the crawl found almost nothing"
        if who in ("facilitator", "organizer"):
            reached |= set(found["pages"])
        problems += [
            f"{who} {path}: {_describe(v)}"
            for path, v in found["violations"]
            if v["impact"] in FAILING
        ]
        problems += [f"{who} {line}" for line in found["overflow"] + found["errors"]]
        problems += [f"{who} {line}" for line in duplicate_titles(found["titles"])]
    problems += [f"no crawl reached {name}" for name in sorted(RUNNERS_MUST_REACH - reached)]
    seconds = time.monotonic() - began
    report(f"axe crawl ({language}): {len(people)} people and states in {seconds:.0f} s")
    assert not problems, "\n".join(problems)


# After a failed submit: where focus is, whether the errors are announced, and whether each
# error in the summary leads to a field marked invalid and described by its message.
ERROR_STATE = """() => {
  const problems = [];
  const focused = document.activeElement;
  const summary = document.querySelector('[data-error-summary]');
  const describedOk = el => (el.getAttribute('aria-describedby') || '').split(/\\s+/)
    .some(id => id && document.getElementById(id)
      && document.getElementById(id).textContent.trim());
  if (summary) {
    if (summary.getAttribute('role') !== 'alert')
      problems.push('the error summary is not role=alert');
    if (focused !== summary) problems.push('focus is on ' + (focused ? focused.tagName : 'nothing')
      + ', not on the error summary');
    for (const link of summary.querySelectorAll('a[href^="#"]')) {
      const id = link.getAttribute('href').slice(1);
      const field = document.getElementById(id)
        || document.querySelector('[id^="' + id + '_"] input, input[id^="' + id + '_"]');
      if (!field) {
        problems.push('the summary links to #' + id + ', which is not a field');
        continue;
      }
      const holder = field.closest('fieldset[aria-describedby]') || field;
      if (field.getAttribute('aria-invalid') !== 'true' && holder === field)
        problems.push('#' + id + ' has no aria-invalid');
      if (!describedOk(holder)) problems.push('#' + id + ' is not described by its error');
    }
  } else if (!focused || focused.getAttribute('aria-invalid') !== 'true') {
    problems.push('no error summary and focus is not on an invalid field');
  }
  for (const field of document.querySelectorAll('main [aria-invalid="true"]')) {
    if (!describedOk(field))
      problems.push((field.id || field.name) + ' is invalid but not described');
  }
  if (!summary && !document.querySelector('main [aria-invalid="true"]'))
    problems.push('the form came back with no error shown');
  return problems;
}"""
FOCUSED_MESSAGE = """() => {
  const focused = document.activeElement;
  return focused && focused.matches('[data-messages]') ? focused.innerText.trim() : null;
}"""
# Contrast of one element in its current state (hovered or focused).
CONTRAST_OF = """element => axe.run(element, {resultTypes: ['violations'],
  runOnly: {type: 'rule', values: ['color-contrast']}})"""
# Links in alerts, buttons and links standing alone: what changes colour on hover and focus.
STATEFUL = "main .alert a, main .btn, main .list-unstyled a, main .list-inline a, header a"


def state_contrast_problems(page, counted: list) -> list[str]:
    """Hover and focus each control that changes colour and measure its contrast then."""
    problems = []
    for element in page.locator(STATEFUL).all()[:25]:
        if not element.is_visible():
            continue
        counted.append(element)
        for state in ("hover", "focus"):
            element.hover() if state == "hover" else element.focus()
            for violation in element.evaluate(CONTRAST_OF)["violations"]:
                problems.append(f"{page.url} {state}: {_describe(violation)}")
        page.mouse.move(0, 0)
    return problems


OUTLINED = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


def date_input_stops_without_focus(page) -> list[str]:
    """Tab through a native date input's parts (day, month, year, calendar button)."""
    date_input = page.locator("main input[type=date]").first
    date_input.focus()
    problems, stops = [], 0
    while stops < 6 and page.evaluate("() => document.activeElement.type === 'date'"):
        stops += 1
        if not page.evaluate(OUTLINED):
            problems.append(f"{page.url}: stop {stops} inside the date input shows no focus")
        page.keyboard.press("Tab")
    return problems


EMPTY_FORM = """form => {
  form.noValidate = true;  // the server's answer is what is checked, not the browser's bubble
  for (const field of form.querySelectorAll('input[type=text], input[type=email],'
      + ' input[type=password], input[type=date], input[type=time], textarea')) field.value = '';
  for (const box of form.querySelectorAll('input[type=checkbox]')) box.checked = false;
}"""


def submit_empty(page, path: str) -> list[str]:
    page.goto(path)
    form = page.locator("main form").filter(has=page.locator("textarea, input:visible")).first
    form.evaluate(EMPTY_FORM)
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()
    return [f"{path}: {p}" for p in page.evaluate(ERROR_STATE)]


@pytest.mark.ignore_template_errors  # allauth's templates
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", CRAWL_LANGUAGES)
def test_failed_submits_are_announced_and_actions_focus_their_outcome(
    _browser, live_server, language
):
    say = Words(language)
    world = build_world()
    states = build_states(world)
    waiting, waiting_pages = states["waitlisted, survey open, agreement to re-sign"]
    slug = world.group.slug
    forms = {
        None: [reverse("account_login"), reverse("account_signup")],
        world.users["member"]: [
            reverse("groups:concern_report", args=[slug]),
            reverse("members:profile"),
            reverse("feedback:goals"),
        ],
        waiting: [reverse("groups:agreement_sign", args=["lighthouse-circle"])],
        world.users["facilitator"]: [reverse("meetings:schedule", args=[slug])],
    }
    problems, checked = [], 0
    for user, paths in forms.items():
        context = _context(_browser, live_server, language)
        page = context.new_page()
        if user is not None:
            sign_in(page, user.email, PASSWORD)
        for path in paths:
            problems += submit_empty(page, path)
            checked += 1
            if page.locator("main input[type=date]").count():
                problems += date_input_stops_without_focus(page)
        context.close()

    # Actions that redirect: focus lands on the message saying what happened. Before, the
    # contrast of links and buttons when hovered and focused, on the pages with most of them.
    context = _context(_browser, live_server, language)
    page = context.new_page()
    sign_in(page, waiting.email, PASSWORD)
    hovered = []
    for path in ("/", waiting_pages[1], waiting_pages[3]):
        page.goto(path)
        problems += state_contrast_problems(page, hovered)
    page.goto(reverse("groups:agreement_sign", args=["lighthouse-circle"]))
    for box in page.locator("main form input[type=checkbox]").all():
        box.check()
    page.get_by_label(say("Type your full name to sign")).fill(waiting.full_name or "Wren Waiting")
    with page.expect_navigation():
        page.get_by_role("button", name=say("Sign the agreement")).click()
    said = page.evaluate(FOCUSED_MESSAGE)
    thanks = say("Thank you for signing. You can now see the meeting place and link.")
    if not said or thanks not in said:
        problems.append(f"after signing, focus is not on the message (message focused: {said!r})")
    page.goto(world.meeting.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name=say("I'm going")).click()
    said = page.evaluate(FOCUSED_MESSAGE)
    if not said:
        where = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        problems.append(f"after an RSVP, focus is on {where}, not on the message")
    context.close()
    report(
        f"forms ({language}): {checked} failed submits and 2 redirecting actions checked for "
        "focus; "
        f"{len(hovered)} links and buttons checked for contrast when hovered and focused"
    )
    assert not problems, "\n".join(problems)
