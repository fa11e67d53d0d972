"""The dashboards' reports, cached per organisation and filters until their data changes.

A report (`report.dashboard_report`: guarded figures and chart coordinates) is the same
for everybody allowed to open that dashboard: it is computed from the cleaned filters
alone, never from the viewer, and the permission check runs before it is asked for. So
one copy serves every organizer and facilitator of the organisation; nothing about the
viewer is in the value or the key. The HTML drawn from a report and the cleaned filters
is kept next to it (views.report_part), and an organisation's list of groups too. The
whole page's content is kept drawn as well (views._Dashboard.drawn_page, with
`peersupport.cache.fetch_versioned` under "dashboard:<organisation>"), so a warm request
neither cleans the filters nor reads the report or these parts.

Key: the version tokens (`peersupport.cache`) of the scopes "dashboard:<organisation>",
the organisation ids, the cleaned filters (group ids in their order, dates, period,
topic, format; not the raw query string, so made-up parameters don't fill the cache),
whether groups are compared, the active language and time zone and the small-number
threshold. Which saves and deletes renew "dashboard:<organisation>" is in the table of
`peersupport.cache_scopes` (meetings, RSVPs, attendance, check-ins, groups, memberships,
question sets, suggestions, reviews, goals); writes in bulk (a release, `figures.refresh`,
`units.month_close`) call `renew()` here themselves. Between two releases a report's
figures cannot change (dashboard/units.py), so renewals on other saves only cost a
recomputation. Entries expire after settings.DASHBOARD_CACHE_SECONDS (10 minutes), which
keeps the default period moving with the calendar; 0 turns the cache off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from feedback.dashboard.filters import DashboardFilters
from feedback.dashboard.protection import threshold
from peersupport import cache as shared

T = TypeVar("T")


def versions(organisation_ids: list[int]) -> str | None:
    """The current tokens of these organisations (a missing token is created); None when
    the cache is off. Read once per request, before any figure is queried: a copy
    stored under them can never predate an edit that renewed one."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return None
    found = shared.tokens(f"dashboard:{pk}" for pk in organisation_ids)
    if None in found.values():
        return None
    return ".".join(found[f"dashboard:{pk}"] for pk in organisation_ids)


def renew(organisation_ids: Iterable[int | None]) -> None:
    """These organisations' dashboards changed (for writes in bulk, which send no signal)."""
    shared.renew(*(f"dashboard:{pk}" for pk in organisation_ids if pk is not None))


def renew_meetings(meeting_ids: list[int]) -> None:
    """For bulk writes keyed by meeting (figures.refresh): one query for all of them."""
    from sessions.models import Meeting

    if meeting_ids:
        renew(
            Meeting.objects.filter(pk__in=meeting_ids)
            .values_list("group__organisation_id", flat=True)
            .distinct()
        )


def report_key(
    f: DashboardFilters, *, organisation_ids: list[int], compare: bool, tokens: str | None
) -> str | None:
    """The report's key from the organisations' `versions` (None: the cache is off)."""
    if tokens is None:
        return None
    parts = [
        tokens,
        ",".join(map(str, organisation_ids)),
        ",".join(map(str, f.group_ids)),
        f.start.isoformat(),
        f.end.isoformat(),
        f.period,
        f.topic,
        f.format,
        "compare" if compare else "",
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        str(threshold()),
    ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"dashboard-report:{digest}"


def cached(key: str | None, build: Callable[[], T]) -> T:
    """What is stored under `key`, or `build()` stored there; always `build()` without a key.

    Used for the report and for the HTML drawn from it alone (key + ":html"): both are
    the same for every viewer the permission check lets through. Nothing built inside a
    transaction of our own is stored.
    """
    if key is None:
        return build()
    found = cache.get(key)
    if found is None:
        found = build()
        if not shared.in_transaction():
            cache.set(key, found, settings.DASHBOARD_CACHE_SECONDS)
    return found


def cached_many(parts: list[tuple[str | None, Callable[[], T]]]) -> list[T]:
    """`cached()` for several (key, build) pairs, read in one round trip."""
    keys = [key for key, _build in parts if key is not None]
    found = cache.get_many(keys) if keys else {}
    return [found[key] if key in found else cached(key, build) for key, build in parts]


def organisation_groups(organisation_id: int, tokens: str | None, load: Callable[[], list]):
    """The organisation's groups as the filters list them (plain rows: id, name, slug,
    topics), kept under its token (saving or deleting a group renews it): loading 100
    groups cost more than a cached report, and reading back 100 model instances did too."""
    return cached(tokens and f"dashboard-group-rows:{organisation_id}:{tokens}", load)
