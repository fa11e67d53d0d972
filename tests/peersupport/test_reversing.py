"""Signed links reversed once per batch are exactly what `reverse()` gives."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from peersupport import reversing
from peersupport.reversing import reverse_token, reversing_once


def _tokens() -> list[str]:
    return [
        signing.dumps({"u": n, "k": "session_reminder"}, salt="test", compress=n % 2 == 0)
        for n in range(1, 6)
    ]


def test_reverse_token_in_a_batch_equals_reverse_for_every_token():
    tokens = [*_tokens(), "odd token?#&", "ünïcode", "a:b.c-d_e"]
    with reversing_once():
        for name in ("members:unsubscribe", "meetings:rsvp_link"):
            for token in tokens:
                assert reverse_token(name, token) == reverse(name, args=[token])


def test_reverse_token_in_a_batch_reverses_each_pattern_once(monkeypatch):
    calls = []

    def counting(viewname, args):
        calls.append(viewname)
        return reverse(viewname, args=args)

    monkeypatch.setattr(reversing, "reverse", counting)
    with reversing_once():
        links = [reverse_token("members:unsubscribe", token) for token in _tokens()]
    assert calls == ["members:unsubscribe"]
    assert links == [reverse("members:unsubscribe", args=[t]) for t in _tokens()]
    # Outside a batch nothing is kept: every call reverses.
    reverse_token("members:unsubscribe", _tokens()[0])
    reverse_token("members:unsubscribe", _tokens()[1])
    assert len(calls) == 3
