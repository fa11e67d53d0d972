"""Project-wide middleware: security headers, time zones, a friendly 503."""

from __future__ import annotations

import logging
import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Headers Django 5.2 does not set itself: CSP and Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


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
