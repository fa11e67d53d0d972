"""The dashboards' reports, cached per organisation and filters until their data changes.

A report (`report.dashboard_report`: guarded figures and chart coordinates) is the same
for everybody allowed to open that dashboard: it is computed from the cleaned filters
alone, never from the viewer, and the permission check runs before it is asked for. So
one copy serves every organizer and facilitator of the organisation; nothing about the
viewer is in the value or the key.

The HTML drawn from a report and the cleaned filters (the filters form, charts and
tables) is kept next to it (views.report_html), and an organisation's list of groups
under its token: drawing and loading them cost more than the rest of a cached page.

Key: the organisation's version token, the organisation ids, the cleaned filters (group
ids in their order, dates, period, topic, format; not the raw query string, so made-up
parameters don't fill the cache), whether groups are compared, the active language and
time zone (labels, month boundaries) and the small-number threshold.

What invalidates what: saving or deleting a row the report reads gives its organisation
a new random token (now, and again once the transaction commits, as in groups/cache.py:
a reader that computed from the old rows meanwhile can only have stored under a token
nobody asks for any more):

- meetings, RSVPs, attendance, check-in receipts (by the meeting's group's organisation);
- released answers and frozen units: answers are written only by a release, in bulk
  (no signal), and `figures.refresh` (check-ins), `GoalReview.save` (reviews),
  `services.suggestions_release` and `units.month_close` renew the organisations they
  touch. Between two releases a report's figures cannot change (dashboard/units.py), so
  renewals on other saves only cost a recomputation;
- groups (name, topics, format), memberships (joins, breaks, leaving), question sets,
  suggestions, purpose reviews and their answers, group goals and their notes, and
  personal goals (by the organisations the owner is a member in).

Receivers read the organisation from related objects already loaded and otherwise look
it up once (group, meeting, review, goal -> organisation) and keep the answer in the
cache: a meeting never moves to another group nor a group to another organisation. They
only ever use a row's meeting or group, never who wrote it, so an answer's author is
neither logged nor part of any key.

Bulk `.update()` and `bulk_create` send no signal (members/services_data.py marks
memberships left in bulk when an account is erased): entries also expire after
settings.DASHBOARD_CACHE_SECONDS (10 minutes), which bounds staleness there and keeps
the default period moving with the calendar. 0 turns the cache off (the test suite
runs with it off; tests/feedback/test_dashboard_cache.py turns it on).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone, translation

from feedback.dashboard.filters import DashboardFilters
from feedback.dashboard.protection import threshold
from groups.rows import organisation_of_group_row, organisation_via
from peersupport import rowcache

T = TypeVar("T")


def _token_key(organisation_id: int) -> str:
    return f"dashboard-version:{organisation_id}"


def versions(organisation_ids: list[int]) -> str | None:
    """The current tokens of these organisations (a missing token is created); None when
    the cache is off. Read once per request, before any figure is queried: a copy
    stored under them can never predate an edit that renewed one."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return None
    keys = [_token_key(pk) for pk in organisation_ids]
    found = cache.get_many(keys)
    missing = {k: uuid.uuid4().hex[:12] for k in keys if k not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return ".".join(found[k] for k in keys)


def invalidate(organisation_ids: Iterable[int | None]) -> None:
    """New tokens for these organisations now and again once the transaction commits.

    Now: this transaction's own later reads (and tests, which never commit) see the edit.
    After commit: a request that read the old rows meanwhile can't keep them cached.
    """
    ids = {pk for pk in organisation_ids if pk is not None}
    if not ids:
        return

    def renew() -> None:
        cache.set_many({_token_key(pk): uuid.uuid4().hex[:12] for pk in ids}, None)

    renew()
    transaction.on_commit(renew)


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
    the same for every viewer the permission check lets through.
    """
    if key is None:
        return build()
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, settings.DASHBOARD_CACHE_SECONDS)
    return found


def organisation_groups(organisation_id: int, tokens: str | None, load: Callable[[], list]):
    """The organisation's groups, as the filters list them, kept under its token (saving
    or deleting a group renews it): loading 100 groups cost more than a cached report."""
    return cached(tokens and f"dashboard-groups:{organisation_id}:{tokens}", load)


# --- Which organisation a changed row belongs to (groups.rows, shared with the row cache) ---
_of_group_row = organisation_of_group_row
_via = organisation_via


def _of_owner(instance) -> list[int]:
    """A personal goal counts for every organisation its owner is a member in."""
    from groups.models import Membership

    return list(
        Membership.objects.filter(user_id=instance.owner_id)
        .values_list("group__organisation_id", flat=True)
        .distinct()
    )


def _receiver(find: Callable[[object], int | list[int] | None]):
    def receive(sender, instance, **kwargs) -> None:
        found = find(instance)
        invalidate(found if isinstance(found, list) else [found])

    return receive


def invalidate_meetings(meeting_ids: list[int]) -> None:
    """For bulk writes keyed by meeting (figures.refresh): one query for all of them."""
    from sessions.models import Meeting

    if meeting_ids:
        invalidate(
            Meeting.objects.filter(pk__in=meeting_ids)
            .values_list("group__organisation_id", flat=True)
            .distinct()
        )


def connect() -> None:
    """Called from FeedbackConfig.ready, so web servers, workers and commands all invalidate."""
    from feedback.models import (
        CheckinReceipt,
        CheckinResponse,
        GoalReview,
        GoalReviewResponse,
        GroupGoal,
        GroupGoalNote,
        PersonalGoal,
        QuestionSet,
        Suggestion,
    )
    from groups.models import Membership, PeerGroup
    from sessions.models import Attendance, Meeting, Rsvp

    on_save_and_delete = [
        (PeerGroup, lambda group: group.organisation_id),
        (QuestionSet, lambda question_set: question_set.organisation_id),
        (Meeting, _of_group_row),
        (Membership, _of_group_row),
        (Suggestion, _of_group_row),
        (GoalReview, _of_group_row),
        (GroupGoal, _of_group_row),
        (GoalReviewResponse, _via("review")),
        (GroupGoalNote, _via("goal")),
        (Rsvp, _via("meeting")),
        (Attendance, _via("meeting")),
        (CheckinReceipt, _via("meeting")),
        (PersonalGoal, _of_owner),
    ]
    rowcache.on_save_and_delete(
        "dashboard-cache", [(model, _receiver(find)) for model, find in on_save_and_delete]
    )
    # Saved only: see the module docstring (sealing deletes answers in bulk).
    post_save.connect(
        _receiver(_via("meeting")),
        sender=CheckinResponse,
        dispatch_uid="dashboard-cache-CheckinResponse",
        weak=False,
    )
