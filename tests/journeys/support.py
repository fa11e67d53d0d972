"""Helpers shared by the journeys: screenshots a person can look at, links out of emails."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

from tests.fixtures.browser import ARTIFACTS
from tests.fixtures.mail import body_text

SCREENSHOTS = ARTIFACTS / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def screenshots(page, name: str) -> None:
    """Save the current page at phone and desktop width (on every run, not only failures)."""
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
