"""The site's header, drawn once per process for each language and kind of visitor.

Nothing in the header comes from the database or names anyone: it is the same for every
visitor with the same language and the same three flags (signed in, staff, runs a
group), like a compiled template. So each process draws each combination once and keeps
it for its life (a new release starts new processes); with DEBUG on it is drawn on every
page, so template edits show at once. Which flags it reads is this module's to say: the
header template sees a stand-in user with those flags only, never the person.
"""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


class Visitor(NamedTuple):
    is_authenticated: bool
    is_staff: bool


_drawn: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    user = context.get("user")
    visitor = Visitor(
        bool(getattr(user, "is_authenticated", False)), bool(getattr(user, "is_staff", False))
    )
    runs_groups = bool(context.get("nav_runs_groups"))
    key = (get_language(), visitor, runs_groups)
    html = _drawn.get(key)
    if html is None:
        # render_to_string's result is already marked safe: the template escaped it.
        html = render_to_string(
            "peersupport/fragments/header.html",
            {"user": visitor, "nav_runs_groups": runs_groups},
        )
        if not settings.DEBUG:
            _drawn[key] = html
    return html
