"""Every email, in every language: rendered in Spanish and French, no English is left.

Each template under templates/emails is rendered with a stand-in for every value it
reads (a name, a link, one of each list), every condition true, so the branches a real
message takes are all drawn. What remains must not contain common English words; only
names (the stand-in "Zed") and addresses are the same in every language.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.i18n.test_catalogues import TRANSLATED
from tests.i18n.visible_text import ROOT

EMAILS = sorted(
    p.name for p in (ROOT / "templates" / "emails").glob("*") if not p.name.startswith("_")
)
ENGLISH = re.compile(
    r"\b(the|your|you|and|meeting|meetings|group|please|hello|with|this|that|from|have|"
    r"here|will|for|are|was|not|can|our|who|what|when|open|join|thank|see|email)\b",
    re.IGNORECASE,
)


WHEN = datetime.datetime(2027, 3, 9, 18, 30, tzinfo=datetime.UTC)


# The values the templates count with: many of each, so the plural forms are drawn.
COUNTS = {"going", "followups", "pending", "replies"}


class StandIn(str):
    """Any value a template reads: a name, true, one of a list, an attribute of itself."""

    def __new__(cls):
        return super().__new__(cls, "Zed")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if hasattr(WHEN, name):  # read as a date by |date and |date_words
            return getattr(WHEN, name)
        if name in COUNTS:  # counted by {% blocktranslate count %}
            return 2
        return StandIn()

    def __getitem__(self, key):
        return 2 if key in COUNTS else StandIn()

    def __iter__(self):
        return iter([StandIn()])

    def __len__(self):
        return 1

    def __bool__(self):
        return True


class Context(dict):
    def __missing__(self, key):
        return 2 if key in COUNTS else StandIn()

    def __contains__(self, key):
        return True


def _without_names_and_links(text: str) -> str:
    text = re.sub(r"https?://\S+|\S+@\S+|/\S*", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)  # tags and attributes are markup, not words
    return text.replace("Zed", " ").replace("peersupport", " ")


def test_every_email_template_is_checked():
    assert len(EMAILS) >= 60  # subject, text and HTML bodies of every kind of email


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("name", EMAILS)
def test_email_has_no_english_left(name, language):
    with translation.override(language):
        rendered = render_to_string(f"emails/{name}", Context())
    words = ENGLISH.findall(_without_names_and_links(rendered))
    assert not words, f"{name} in {language} still says {sorted(set(words))}:\n{rendered[:800]}"


@pytest.mark.parametrize("name", [n for n in EMAILS if "_body" in n])
def test_the_check_finds_english_in_the_english_email(name):
    """The check above can fail: in English the same rendering finds English words."""
    with translation.override("en"):
        rendered = render_to_string(f"emails/{name}", Context())
    assert ENGLISH.search(_without_names_and_links(rendered)), name
