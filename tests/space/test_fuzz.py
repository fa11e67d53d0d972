"""Hypothesis: the post form never answers with a server error, and the watched-word
matcher finds a phrase whatever the capitals, accents, spacing and punctuation."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from space.watch import normalise, phrases_from, watched_matches

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "nul\x00byte",
        "\u202eevil\u202c",
        "javascript:alert(1)",
        "{{ settings.SECRET_KEY }}",
        "x" * 6000,
        "   ",
        "@" * 50,
        "https://" + "a" * 500,
    ]
)
PHRASES = phrases_from("kill myself\nwant to die\nself-harm\nno way out")
SEPARATORS = st.sampled_from([" ", "  ", "\t", "\n", "-", "_", "...", " — ", "/", "! "])


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=st.one_of(ANY_TEXT, HOSTILE), body=st.one_of(ANY_TEXT, HOSTILE))
@pytest.mark.django_db
def test_posting_anything_never_gives_a_server_error(title, body, world, client):
    # `world` and `client` are built once for all examples (one test transaction).
    client.force_login(world.users["member"])
    new_thread = reverse("space:thread_new", args=[world.group.slug])
    assert client.post(new_thread, {"title": title, "body": body}).status_code in (200, 302)
    url = reverse("space:reply", args=[world.group.slug, world.space_thread.pk])
    assert client.post(url, {"body": body}).status_code == 302


def _disguise(phrase: str, data) -> str:
    """The phrase with random capitals, accents and separators between its words."""
    words = []
    for word in phrase.split(" "):
        letters = []
        for ch in word:
            ch = ch.upper() if data.draw(st.booleans()) else ch
            if data.draw(st.booleans()) and ch.isalpha():
                ch = unicodedata.normalize("NFC", ch + "\u0301")
            letters.append(ch)
        words.append("".join(letters))
    text = words[0]
    for word in words[1:]:
        text += data.draw(SEPARATORS) + word
    return text


@settings(max_examples=200, deadline=None)
@given(data=st.data(), phrase=st.sampled_from(PHRASES), before=st.text(max_size=40))
def test_a_disguised_phrase_still_matches(data, phrase, before):
    text = f"{before} {_disguise(phrase, data)}. after"
    assert phrase in watched_matches(text, PHRASES)


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_the_matcher_takes_any_text(text):
    matches = watched_matches(text, PHRASES)
    assert set(matches) <= set(PHRASES)
    assert normalise(normalise(text)) == normalise(text)


def test_a_phrase_inside_a_longer_word_does_not_match():
    assert watched_matches("my skill myself", PHRASES) == []
    assert watched_matches("nowayout", PHRASES) == []
    assert watched_matches("SELF—HARM", PHRASES) == ["self harm"]
