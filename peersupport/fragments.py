"""Template fragments rendered once per exact content (a row of a table, say).

Django's template engine spends about half a millisecond on a table row with dates,
plurals and links; a dashboard of twenty rows spent most of its time there. A row is a pure
function of the values it shows, so it is cached under a digest of exactly those values
plus the language and time zone it was rendered in. Nothing ever needs invalidating (new
values are a new key), and an entry can only be found by someone who already holds every
value it shows: it never reveals anything across people, however widely it is shared.
Callers must list in `values` everything the fragment reads; the fragment must not read
the request or the person (use separate fragments for per-person parts).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

FRAGMENT_SECONDS = 3600  # unused rows age out; correctness never depends on it


def _key(template_name: str, values: Sequence[Any]) -> str:
    parts = [
        template_name,
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        *(str(v) for v in values),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"fragment:{digest}"


def render_each(
    template_name: str,
    objects: Iterable[Any],
    *,
    name: str,
    values: Callable[[Any], Sequence[Any]],
) -> list[SafeString]:
    """`template_name` rendered with {name: obj} for each object, reusing earlier renders
    of the same values (one cache round trip for all of them)."""
    objects = list(objects)
    if not settings.ROW_CACHE_SECONDS:
        return [render_to_string(template_name, {name: obj}) for obj in objects]
    keys = [_key(template_name, values(obj)) for obj in objects]
    found = cache.get_many(keys)
    rendered, new = [], {}
    for obj, key in zip(objects, keys, strict=True):
        html = found.get(key)
        if html is None:
            html = new[key] = render_to_string(template_name, {name: obj})
        rendered.append(html)  # a SafeString, pickled and unpickled as one
    if new:
        cache.set_many(new, FRAGMENT_SECONDS)
    return rendered
