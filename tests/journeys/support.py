"""Helpers shared by the journeys: screenshots a person can look at, links out of emails."""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from email.message import EmailMessage
from urllib.parse import urlsplit

from tests.fixtures.browser import ARTIFACTS
from tests.fixtures.mail import body_text
from tests.journeys.conftest import report

SCREENSHOTS = ARTIFACTS / "screenshots"
# Journeys run in each language the site speaks (`@pytest.mark.parametrize("language",
# LANGUAGES)`): the browser asks for it, and names are looked up with `Words`.
# JOURNEY_LANGUAGES="en" narrows them: CI's newcomer pass, which is there to prove the
# embedded stack, walks them in English while its system pass walks all three, so the two
# passes side by side stay inside CI's time.
SPOKEN = ("en", "es", "fr")
LANGUAGES = tuple((os.environ.get("JOURNEY_LANGUAGES") or " ".join(SPOKEN)).split())
if not LANGUAGES or set(LANGUAGES) - set(SPOKEN):
    raise ValueError(f"JOURNEY_LANGUAGES must name some of {SPOKEN}, not {LANGUAGES}")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def screenshots(page, name: str) -> None:
    """Save the current page at phone and desktop width (on every run, not only failures).

    Only in the English run: the Spanish and French runs check the same pages' width with
    `fits_narrow_screen`, and two more full-page pictures per page would lengthen CI."""
    if page.evaluate("document.documentElement.lang") not in ("", "en"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(before)


def link_in(message: EmailMessage, pattern: str) -> str:
    """The path of the first link in `message`'s text whose path matches `pattern`.

    Journeys follow the links a person receives; they never build token URLs themselves.
    """
    for url in re.findall(r"https?://[^\s<>\"]+", body_text(message)):
        path = urlsplit(url).path
        if re.search(pattern, path):
            query = urlsplit(url).query
            return path + (f"?{query}" if query else "")
    raise AssertionError(f"no link matching {pattern!r} in {message['Subject']!r}")


def mail_to(sink, address: str, subject: str, timeout: float = 30.0) -> EmailMessage:
    """Wait for (and return the latest) message to `address` whose subject contains `subject`."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in sink.to(address) if subject in str(m["Subject"])]
        if found:
            return found[-1]
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            subjects = [f"{m['To']}: {m['Subject']}" for m in sink.messages]
            raise AssertionError(f"no email {subject!r} to {address}; received {subjects}")
        try:
            sink.wait_for(len(sink.messages) + 1, timeout=remaining)
        except AssertionError:
            continue  # the deadline passed: say which messages did arrive


class Words:
    """What the page calls something, in the journey's language, from the catalogues:
    `say = Words("es")`; `say("Find a group")`, `say("%(n)s group found", n=1)`,
    `say.plural("%(n)s group found", "%(n)s groups found", 2, n=2)`, and
    `say("Save", context="button")` for a string with a context."""

    def __init__(self, language: str):
        self.language = language

    def __call__(self, msgid: str, context: str | None = None, **values) -> str:
        from django.utils import translation

        with translation.override(self.language):
            text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
        self._known(f"{context}\x04{msgid}" if context else msgid)
        return text % values if values else text

    def _known(self, key) -> None:
        """A name the catalogue lacks would be looked up in English, and a page still in
        English would pass: refuse it."""
        if self.language == "en":
            return
        from django.utils.translation import trans_real

        catalogue = trans_real.translation(self.language)._catalog
        assert key in catalogue, f"{key!r} is not in the {self.language} catalogue"

    def plural(self, singular: str, plural: str, count: int, **values) -> str:
        from django.utils import translation

        with translation.override(self.language):
            text = translation.ngettext(singular, plural, count)
        self._known((singular, 0))
        return text % values if values else text


class Clicks:
    """A person who clicks: after the home page is opened once, every page is reached by
    a link or button found by its visible name, and each task has a click budget.

    `page.goto` is refused from then on, so a journey can't type an address by mistake.
    Ticking boxes and typing into fields are not counted: the budget is the way between
    pages, what a stranger has to find.
    """

    def __init__(self, page):
        self.page = page
        self.count = 0
        self.spent: list[tuple[str, int, int]] = []

    def open_home(self) -> None:
        self.page.goto("/")

        def refuse(url, **_kwargs):
            raise AssertionError(f"journeys click, they don't type: page.goto({url!r})")

        self.page.goto = refuse

    def link(self, name, *, within=None, exact: bool = False) -> None:
        self.click((within or self.page).get_by_role("link", name=name, exact=exact).first)

    def button(self, name, *, within=None, exact: bool = False) -> None:
        self.click((within or self.page).get_by_role("button", name=name, exact=exact).first)

    def click(self, locator) -> None:
        """A link or button found some other way (the last of several, in a row...)."""
        self.count += 1
        locator.click()

    @contextmanager
    def task(self, name: str, *, budget: int):
        """`with clicks.task("RSVP to the next meeting", budget=4): ...`"""
        before = self.count
        yield
        used = self.count - before
        self.spent.append((name, used, budget))
        report(f"clicks: {name}: {used} of {budget}")
        assert used <= budget, f"{name!r} took {used} clicks, budget {budget}"
