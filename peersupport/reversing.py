"""`reverse()` of a URL whose one argument is a signed token, for many tokens in a row.

A batch of emails carries signed links for each recipient (unsubscribe, "I can't make
it"): one URL pattern, a different token each time. Inside `reversing_once()` each
pattern is reversed once, with the first token, and later tokens are put where that one
stood. That is the text `reverse()` gives for a `<str:...>` argument, since quoting
leaves the letters, digits and `-_:.` of `django.core.signing` tokens as they are; any
other token, or a pattern the first token does not appear in exactly once, is reversed
as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import reverse

_PLAIN = re.compile(r"[A-Za-z0-9_.:-]+")
# viewname -> (what comes before the token, what comes after); () when it cannot be split.
_split: ContextVar[dict[str, tuple[str, ...]] | None] = ContextVar("reversing_once", default=None)


@contextmanager
def reversing_once() -> Iterator[None]:
    """Within this block, `reverse_token` reverses each pattern once."""
    reset = _split.set({})
    try:
        yield
    finally:
        _split.reset(reset)


def reverse_token(viewname: str, token: str) -> str:
    """`reverse(viewname, args=[token])`."""
    split = _split.get()
    if split is None or not _PLAIN.fullmatch(token):
        return reverse(viewname, args=[token])
    parts = split.get(viewname)
    if parts is None:
        url = reverse(viewname, args=[token])
        split[viewname] = tuple(url.split(token)) if url.count(token) == 1 else ()
        return url
    if not parts:
        return reverse(viewname, args=[token])
    return parts[0] + token + parts[1]
