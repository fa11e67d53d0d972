"""The signed-in home page: each app contributes the parts it knows about.

The core app can't read meetings, surveys or concerns (apps depend one way), so each
app registers a part in its `AppConfig.ready()`: a function of the person that returns
the part's context, or None when it has nothing to show, and the template that shows it.
Parts are shown in `order`: what waits for the person first, then their meetings, then
what the people who run groups have to do, then the groups themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePart:
    order: int
    template: str
    read: Callable[[object], dict | None]


_PARTS: dict[str, HomePart] = {}


def home_part_register(name: str, *, order: int, template: str, read) -> None:
    """Register (or replace, so a reload is harmless) one part of the home page."""
    _PARTS[name] = HomePart(order=order, template=template, read=read)


def home_parts(user) -> list[dict]:
    """Each part with something to show: {"template": ..., **its context}, in order."""
    shown = []
    for part in sorted(_PARTS.values(), key=lambda p: (p.order, p.template)):
        context = part.read(user)
        if context is not None:
            shown.append({"template": part.template, **context})
    return shown
