"""The units every dashboard count is made of, and the rule that makes them unsubtractable.

Two kinds of unit, each written once and never changed afterwards:

- a **meeting** whose check-in answers were released together (`SurveyRelease`, with
  the meeting's sums in `MeetingFigure`): check-in figures, "said going" and "came";
- a **group's closed month** (`GroupMonthFigure`): members, new members, members on a
  break, people who came, attendance, personal goals and suggestions. A month is counted
  once it is over and its meetings' surveys have closed.

A figure is built only from units that reach the small-number threshold
(`settings.SMALL_NUMBER_THRESHOLD`, T) on the count it is about; a unit under it is left
out of that figure entirely (the page says how many were left out). Filters choose whole
units: groups, topics (groups), meeting format (meetings, for meeting figures; months
are not split by format), and dates (meetings starting in the range; months that overlap
it). So any two views a person can request are sums over two sets of units, and they
differ by whole units, each of T people or more: no difference describes 1 to T-1
people. And since units are frozen, a view asked twice changes only when a unit is
added, never because one person answered, joined, left or came. Counts over several
groups add the groups' units: someone in two groups is counted in each.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from feedback.dashboard import cache as dashboard_cache
from feedback.models import GroupMonthFigure, PersonalGoal, Suggestion
from feedback.services import CHECKIN_WINDOW, RELEASE_MARGIN
from groups.models import Membership, PeerGroup
from sessions.models import Attendance, Meeting

ACTIVE, ON_BREAK = Membership.Status.ACTIVE, Membership.Status.ON_BREAK


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def last_closed_month(now: datetime.datetime | None = None) -> datetime.date | None:
    """The latest month that is over and whose meetings' surveys have all closed."""

    now = now or timezone.now()
    latest = timezone.localtime(now - CHECKIN_WINDOW - RELEASE_MARGIN).date()
    # The month before the one `latest` is in: every meeting of it ended before `latest`.
    return month_start(month_start(latest) - datetime.timedelta(days=1))


def months_close_due(now: datetime.datetime | None = None) -> int:
    """Count every closed month not counted yet, for every group (one transaction per
    month). Returns the number of group-months written."""
    last = last_closed_month(now)
    first = _first_activity()
    if first is None:
        return 0
    written = 0
    month = month_start(first)
    done = set(GroupMonthFigure.objects.values_list("month", flat=True).distinct())
    while month <= last:
        if month not in done:
            written += month_close(month)
        month = next_month(month)
    return written


def _first_activity() -> datetime.date | None:
    found = [
        PeerGroup.objects.aggregate(m=Min("created_at"))["m"],
        Membership.objects.aggregate(m=Min("joined_at"))["m"],
        Meeting.objects.aggregate(m=Min("starts_at"))["m"],
    ]
    found = [timezone.localtime(m).date() for m in found if m is not None]
    return min(found) if found else None


@transaction.atomic
def month_close(month: datetime.date) -> int:
    """Count one month for every group not counted for it yet."""

    start, end = _at(month), _at(next_month(month))
    groups = list(
        PeerGroup.objects.exclude(
            pk__in=GroupMonthFigure.objects.filter(month=month).values("group")
        ).values_list("pk", "organisation_id")
    )
    if not groups:
        return 0
    ids = [pk for pk, _org in groups]
    rows: dict[int, dict] = defaultdict(dict)
    for r in (
        Membership.objects.filter(group_id__in=ids)
        .values("group")
        .annotate(
            members=Count("pk", filter=Q(status__in=[ACTIVE, ON_BREAK], joined_at__lt=end)),
            on_break=Count("pk", filter=Q(status=ON_BREAK, joined_at__lt=end)),
            new=Count("pk", filter=Q(joined_at__gte=start, joined_at__lt=end)),
        )
    ):
        rows[r["group"]] |= r
    for r in (
        Attendance.objects.filter(
            meeting__group_id__in=ids, meeting__starts_at__gte=start, meeting__starts_at__lt=end
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .values("meeting__group")
        .annotate(
            marked=Count("pk"),
            marked_people=Count("user", distinct=True),
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
            came=Count("user", distinct=True, filter=Q(status=Attendance.Status.PRESENT)),
        )
    ):
        rows[r["meeting__group"]] |= r
    for r in (
        PersonalGoal.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            owner__memberships__group_id__in=ids,
            owner__memberships__status__in=[ACTIVE, ON_BREAK],
        )
        .values("owner__memberships__group")
        .annotate(
            goal_people=Count("owner", distinct=True),
            goals=Count("pk", distinct=True),
            goals_achieved=Count("pk", distinct=True, filter=Q(achieved_on__isnull=False)),
        )
    ):
        rows[r["owner__memberships__group"]] |= r
    suggestions: dict[int, dict] = defaultdict(dict)
    for r in (
        Suggestion.objects.filter(
            group_id__in=ids, created_on__gte=month, created_on__lt=next_month(month)
        )
        .values("group", "kind", "status")
        .annotate(c=Count("pk"))
    ):
        suggestions[r["group"]][f"{r['kind']}:{r['status']}"] = r["c"]
    fields = [
        "members",
        "on_break",
        "new",
        "came",
        "marked",
        "marked_people",
        "present",
        "goal_people",
        "goals",
        "goals_achieved",
    ]
    GroupMonthFigure.objects.bulk_create(
        [
            GroupMonthFigure(
                group_id=pk,
                month=month,
                suggestions=suggestions.get(pk, {}),
                **{name: rows[pk].get(name) or 0 for name in fields},
            )
            for pk in ids
        ],
        ignore_conflicts=True,
    )
    dashboard_cache.renew({org for _pk, org in groups})
    return len(ids)
