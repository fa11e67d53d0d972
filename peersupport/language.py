"""Which language a person is shown: their own choice, then their browser's, then the
organisation's default.

A signed-in person's choice is kept on their account (`User.preferred_language`, empty
for "follow my browser"); a visitor's choice from the footer's switcher in a cookie. The
browser's `Accept-Language` comes next. When neither names a language we ship, the
organisation whose page it is decides (its `default_language`), and failing that
settings.LANGUAGE_CODE. Addresses are the same in every language.

The organisation is known only to the apps above this one: they register how to find it
for a page (`ORGANISATION_LANGUAGE`, from the view's arguments) and for an email
(`ABOUT_LANGUAGE`, from what the message is about).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.translation.trans_real import (
    get_supported_language_variant,
    parse_accept_lang_header,
)

# a page's path -> the default language of the organisation it belongs to, or "".
ORGANISATION_LANGUAGE: list[Callable[[str], str]] = []
# what an email is about (a meeting, a group...) -> its organisation's default language.
ABOUT_LANGUAGE: list[Callable[[object], str]] = []


def codes() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def supported(code: str | None) -> str:
    """`code` as one of the languages we ship ("es-MX" -> "es"), or "" if none fits."""
    if not code:
        return ""
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return ""


def from_browser(accept_language: str) -> str:
    """The first language of an `Accept-Language` header that we ship, or ""."""
    for code, _quality in parse_accept_lang_header(accept_language or ""):
        if code != "*" and (found := supported(code)):
            return found
    return ""


def for_request(request) -> tuple[str, bool]:
    """(language, whether it is settled) for one request: False when the organisation's
    default language may still decide (`for_page`)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if signed_in and (chosen := supported(user.preferred_language)):
        return chosen, True
    if chosen := supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        return chosen, True
    asked = request.headers.get("Accept-Language", "")
    if chosen := from_browser(asked):
        return chosen, True
    # Only a browser that asks for languages we do not speak falls back to the
    # organisation's; a client that asks for none (a feed reader, a monitor) gets the
    # site's default without the look-up.
    return settings.LANGUAGE_CODE, not asked.strip()


def for_page(path: str) -> str:
    """The default language of the organisation a page belongs to, or "" (none, or the
    page belongs to no organisation)."""
    for find in ORGANISATION_LANGUAGE:
        if found := supported(find(path)):
            return found
    return ""


def for_email(user, about=None) -> str:
    """The language of an email to `user` about `about`: theirs, else the organisation's."""
    if chosen := supported(getattr(user, "preferred_language", "")):
        return chosen
    for find in ABOUT_LANGUAGE:
        if about is not None and (found := supported(find(about))):
            return found
    return settings.LANGUAGE_CODE
