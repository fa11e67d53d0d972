"""The site's header, footer and assets, drawn once per process (for each language and
kind of visitor).

Nothing in the header names anyone: it is the same for every visitor with the same
language, the same three flags (signed in, staff, runs a group) and the same number of
unread notifications on the bell (0 to 100, "99+" from 100: `bell` in the context, from
`members.context_processors`), like a compiled template. So each process draws each
combination once and keeps it for its life (a new release starts new processes); with
DEBUG on it is drawn on every page, so template edits show at once. Which flags it reads
is this module's to say: the header template sees a stand-in user with those flags and
the bell's number only, never the person.

The footer is the same for everyone reading the same language but for the page's own
address (its language switcher comes back to it): drawn once per language with a marker
the address replaces, escaped as the template would have. The links to the stylesheets
and scripts are the same on every page.
"""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

register = template.Library()


class Visitor(NamedTuple):
    is_authenticated: bool
    is_staff: bool


class Bell(NamedTuple):
    """What the header shows of the bell: a number, never what the notices say."""

    unread: int
    many: bool


_drawn: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    user = context.get("user")
    visitor = Visitor(
        bool(getattr(user, "is_authenticated", False)), bool(getattr(user, "is_staff", False))
    )
    runs_groups = bool(context.get("nav_runs_groups"))
    found = context.get("bell") if visitor.is_authenticated else None
    bell = Bell(int(found.unread), bool(found.many)) if found is not None else Bell(0, False)
    key = (get_language(), visitor, runs_groups, bell)
    html = _drawn.get(key)
    if html is None:
        # render_to_string's result is already marked safe: the template escaped it.
        html = render_to_string(
            "peersupport/fragments/header.html",
            {"user": visitor, "nav_runs_groups": runs_groups, "bell": bell},
        )
        if not settings.DEBUG:
            _drawn[key] = html
    return html


# Stands for the page's address in the drawn footer (escaping leaves it as it is).
_PATH_MARK = "ps-footer-path-mark"


class _Where(NamedTuple):
    path: str


def _keep(key: tuple, html: SafeString) -> SafeString:
    if not settings.DEBUG:
        _drawn[key] = html
    return html


@register.simple_tag(takes_context=True)
def site_footer(context) -> SafeString:
    request = context.get("request")
    path = getattr(request, "path", "")
    key = ("footer", get_language(), get_script_prefix())
    html = _drawn.get(key)
    if html is None:
        html = _keep(
            key,
            render_to_string(
                "peersupport/fragments/footer.html",
                {
                    "request": _Where(_PATH_MARK),
                    "LANGUAGES_IN_OWN_NAMES": settings.LANGUAGES,
                },
            ),
        )
    # Escaped here as the template escaped everything around it.
    return SafeString(html.replace(_PATH_MARK, escape(path)))  # nosec B703


@register.simple_tag
def site_assets() -> SafeString:
    """The icon, stylesheets and scripts every page links to (their addresses depend only
    on the static files storage, the same for the process's life)."""
    key = ("assets", settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"])
    html = _drawn.get(key)
    if html is None:
        html = _keep(key, render_to_string("fragments/site_assets.html"))
    return html


@register.simple_tag
def site_description() -> str:
    """What search engines show of a page that says nothing more precise."""
    key = ("description", get_language())
    text = _drawn.get(key)
    if text is None:
        text = gettext("Find and run peer support groups: share, listen and help each other.")
        _keep(key, text)
    return text
