"""Project-wide middleware: who is asking, security headers, private responses,
unparseable input, required MFA, time zones, a friendly 503."""

from __future__ import annotations

import logging
import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from peersupport import language
from peersupport.mfa import mfa_needed, runs_nothing
from peersupport.views import error_400, error_404

logger = logging.getLogger(__name__)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with `request.user` the account itself rather than a lazy stand-in.

    Every request asks who is asking at once (the language is chosen from the account),
    so nothing is saved by waiting; and a lazy stand-in costs a detour on each of the
    hundreds of times a signed-in page reads `request.user` (permission rules, templates).
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = auth_middleware.get_user(request)


class SecurityHeadersMiddleware:
    """Headers Django 5.2 does not set itself: CSP and Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


PRIVATE = "private, no-store"


def mark_private(response):
    """For responses that depend on a private token (feed, unsubscribe, statement): the
    browser and every shared cache must not keep them, whoever asked."""
    response["Cache-Control"] = PRIVATE
    return response


class PrivateResponseMiddleware:
    """Nothing shown to a signed-in person is kept by the browser or a shared cache.

    Members read health information; on a shared or library computer the browser's cache
    (and its back button after sign-out) would otherwise keep it. Sits near the top of the
    list so it has the last word over headers set below it (the public page cache).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = PRIVATE
        return response


# Longest value of one query parameter, and longest path, that any page of ours takes
# (longer ones are no search or filter a person typed; pages cut shorter values themselves).
MAX_VALUE_LENGTH = 16_384
MAX_PATH_LENGTH = 2048


class UnparseableInputMiddleware:
    """Refuse what no page can use with a 400 before it reaches a view.

    PostgreSQL refuses NUL in text, so a NUL byte in the path or a query parameter would
    surface as a 500 wherever it reaches a query. Invalid UTF-8 is already replaced by
    Django (U+FFFD in the query, re-percent-encoded in the path); overlong values are
    refused here rather than in every view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._unparseable(request):
            return error_400(request)
        return self.get_response(request)

    @staticmethod
    def _unparseable(request) -> bool:
        path = request.path_info
        if "\x00" in path or len(path) > MAX_PATH_LENGTH:
            return True
        for key, values in request.GET.lists():
            if "\x00" in key or len(key) > MAX_VALUE_LENGTH:
                return True
            for value in values:
                if "\x00" in value or len(value) > MAX_VALUE_LENGTH:
                    return True
        return False


MFA_NEXT_SESSION_KEY = "mfa_setup_next"


class RequireMFAMiddleware:
    """Facilitators and organizers set up two-step sign-in before they reach their tools.

    Account pages (where they set it up, sign out, or reset a password), the crisis page
    and static files stay reachable.
    """

    OPEN_PREFIXES = ("/accounts/", "/crisis/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.OPEN_PREFIXES)
            and not runs_nothing(user)
            and mfa_needed(user_id=user.pk)
        ):
            return self._to_setup(request)
        return self.get_response(request)

    def _to_setup(self, request):
        url = reverse("mfa_activate_totp")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            # Where they were going: set-up continues there (peersupport.views.MfaActivateView).
            request.session[MFA_NEXT_SESSION_KEY] = request.get_full_path()
        if request.headers.get("HX-Request"):
            response = redirect(url)
            response.status_code = 204
            response["HX-Redirect"] = url
            return response
        messages.warning(
            request,
            _(
                "You help run a group or an organisation, so you can see other people's "
                "private details. Please set up two-step sign-in with an authenticator app "
                "before you continue."
            ),
        )
        return redirect(url)


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class TimezoneMiddleware:
    """Show times in the member's zone; for visitors, the zone their browser reported.

    static/js/app.js stores the browser's zone in the `tz` cookie; a bad value is ignored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated:
            zone = _zone(user.time_zone)
        zone = zone or _zone(unquote(request.COOKIES.get("tz", "")))
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class LanguageMiddleware:
    """Speak the person's language (`peersupport.language`): their choice, their
    browser's, then the default of the organisation whose page it is.

    Replaces Django's LocaleMiddleware, which knows neither the account's choice nor an
    organisation. Addresses carry no language: the same link works for everybody.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen, by_person = language.for_request(request)
        if not by_person:
            chosen = language.for_page(request.path_info) or chosen
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        # The language comes from the browser's header or the switcher's cookie: a shared
        # cache in front of us must keep one copy per value of both.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class DatabaseUnavailableMiddleware:
    """While PostgreSQL is unreachable, answer with a calm 503 page instead of a 500.

    Django reconnects on the next request by itself (CONN_HEALTH_CHECKS), so the web
    server recovers without a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            logger.warning("database unavailable: %s", type(exception).__name__)
            return render(request, "503.html", status=503)
        return None


class OwnErrorPagesMiddleware:
    """Under DEBUG, Django answers a 404 with its technical page, which lists every URL
    pattern: a guessed private address would show the site's map. Our own page instead,
    as in production (the views mark the error pages they render)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "own_error_page", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return error_404(request)
        return response
