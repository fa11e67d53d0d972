"""What needs attention: groups (for organizers) or patterns (for a facilitator's group)
that moved the wrong way beyond normal variation, or work that is waiting.

The rules (README, "Dashboards"), each evaluated per group:

From the frozen units (part of the cached report, like every figure):
- falling attendance: the attendance rate of the latest three counted months fell by
  `ATTENDANCE_DROP` points or more against the three months before (both shown);
- a drop in "felt heard": the average answer to "I felt heard and respected" over the
  meetings of those three months fell by `HEARD_DROP` or more (0 to 10) against the three
  months before (both shown);
- many members disengaging: in the latest counted month with meetings, fewer than half
  of a group of at least the threshold of members came to any meeting.

Waiting work (kept with the page in the cache like the rest; saving a concern, a
support request, an agreement version or a signature renews the organisation's
dashboards: peersupport/cache_scopes.py):
- open concerns (new or being looked into);
- support requests waiting more than `SUPPORT_WAIT` without a reply;
- members who have not signed the current agreement `UNSIGNED_AFTER` after it was
  published;
- meetings in the next `FACILITATOR_AHEAD` without a facilitator.

The unit rules compare figures that are themselves views a person can ask for (a group
over three months), so they reveal nothing the small-number rule withholds.
"""

from __future__ import annotations

import datetime
import math
from collections import namedtuple
from dataclasses import replace

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from feedback.dashboard import selectors, units
from feedback.dashboard.filters import EARLIEST, DashboardFilters
from feedback.dashboard.protection import guard, threshold
from feedback.models import MeetingFigure

ATTENDANCE_DROP = 10  # percentage points
HEARD_DROP = 1.0  # on the 0 to 10 scale
HEARD_KEY = "heard"
WINDOW_MONTHS = 3
SUPPORT_WAIT = datetime.timedelta(days=3)
UNSIGNED_AFTER = datetime.timedelta(days=14)
FACILITATOR_AHEAD = datetime.timedelta(days=14)
MAX_SHOWN = 12


def _months_back(month: datetime.date, n: int) -> datetime.date:
    for _step in range(n):
        month = units.month_start(month - datetime.timedelta(days=1))
    return month


def windows(f: DashboardFilters) -> tuple[datetime.date, datetime.date, datetime.date] | None:
    """(first month of the earlier window, first of the recent one, last counted month):
    the latest three counted months of the view and the three before."""
    closed = units.last_closed_month()
    last = min(units.month_start(f.end), closed) if closed else None
    if last is None or last < units.month_start(EARLIEST) + datetime.timedelta(days=200):
        return None
    recent = _months_back(last, WINDOW_MONTHS - 1)
    return _months_back(recent, WINDOW_MONTHS), recent, last


_Month = namedtuple("_Month", "group_id month members came marked present marked_people")


def _rate(rows: list) -> tuple:
    """Attendance over group-months, each counted only with at least T people marked:
    (the guarded rate, the share as a fraction, the places marked)."""
    kept = [r for r in rows if r.marked_people >= threshold()]
    marked = sum(r.marked for r in kept)
    present = sum(r.present for r in kept)
    people = sum(r.marked_people for r in kept)
    rate = guard(round(100 * present / marked) if marked else None, people, unit="%", people=True)
    return rate, (present / marked if marked else 0.0), marked


def beyond_noise(drop: float, least: float, spread: float) -> bool:
    """A fall counts when it is at least `least` and at least twice the standard error of
    the difference (`spread`): smaller moves are what small groups do month to month."""
    return drop >= least and drop >= 2 * spread


def unit_rules(f: DashboardFilters, questions: list[dict], ids: list[int]) -> list[dict]:
    """The rules read from frozen units, per group (three queries)."""
    span = windows(f)
    if span is None or not ids:
        return []
    earlier, recent, last = span
    by_group: dict[int, list] = {}
    fields = ("group_id", "month", "members", "came", "marked", "present", "marked_people")
    # Plain rows, not model instances: an organisation may have thousands of groups.
    for values in selectors.GroupMonthFigure.objects.filter(
        group_id__in=ids, month__gte=earlier, month__lte=last
    ).values_list(*fields):
        r = _Month(*values)
        by_group.setdefault(r.group_id, []).append(r)
    found = []
    for pk, rows in by_group.items():
        now, p1, n1 = _rate([r for r in rows if r.month >= recent])
        before, p0, n0 = _rate([r for r in rows if r.month < recent])
        if now.shown and before.shown:
            spread = 100 * math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
            if beyond_noise(before.value - now.value, ATTENDANCE_DROP, spread):
                found.append({"group_id": pk, "rule": "attendance", "now": now, "before": before})
        with_meetings = [r for r in rows if r.month >= recent and r.marked]
        latest = max(with_meetings, key=lambda r: r.month, default=None)
        if latest and latest.members >= threshold() and 2 * latest.came < latest.members:
            found.append({"group_id": pk, "rule": "disengaging", "month": latest.month})
    if any(q["key"] == HEARD_KEY for q in questions):
        found += _heard(f, ids, earlier, recent, units.next_month(last))
    return found


# The middle of each answer band (figures.BANDS): the spread of answers is estimated from
# how many fell in each band, the only detail the frozen meeting sums keep.
MIDPOINTS = [1, 3.5, 5.5, 7.5, 9.5]


def _variance(summed: dict) -> float:
    n = summed["answered"]
    mean = summed["total"] / n
    return sum(summed[f"b{b}"] * (m - mean) ** 2 for b, m in enumerate(MIDPOINTS)) / n


def _heard(f, ids, earlier, recent, until) -> list[dict]:
    """One query: "felt heard" sums per group over the two windows' released meetings,
    each meeting counted only with at least the threshold of answerers and answers."""
    view = replace(f, start=earlier, end=until - datetime.timedelta(days=1))
    recent_at = replace(f, start=recent).start_at()
    window = Case(
        When(meeting__starts_at__gte=recent_at, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    sums: dict[tuple[int, int], dict] = {}
    for r in (
        MeetingFigure.objects.filter(
            selectors.held(view, ids),
            key=HEARD_KEY,
            answerers__gte=threshold(),
            answered__gte=threshold(),
        )
        .annotate(window=window, group=F("meeting__group_id"))
        .values("group", "window")
        .annotate(
            answered=Sum("answered"),
            total=Sum("total"),
            **{f"b{b}": Sum(f"band{b}") for b in range(len(MIDPOINTS))},
        )
        .order_by()
    ):
        sums[(r["group"], r["window"])] = r
    found = []
    for pk in ids:
        a, b = sums.get((pk, 1)), sums.get((pk, 0))
        if not a or not b:
            continue
        now = guard(a["total"] / a["answered"], a["answered"])
        before = guard(b["total"] / b["answered"], b["answered"])
        if not (now.shown and before.shown):
            continue
        spread = math.sqrt(_variance(a) / a["answered"] + _variance(b) / b["answered"])
        if beyond_noise(before.value - now.value, HEARD_DROP, spread):
            found.append({"group_id": pk, "rule": "heard", "now": now, "before": before})
    return found


def live_rules(ids: list[int], now: datetime.datetime | None = None) -> list[dict]:
    """The rules about waiting work, per group: one query, a count of each kind per group."""
    from groups.models import (
        AgreementVersion,
        Concern,
        Membership,
        PeerGroup,
        Signature,
        SupportRequest,
    )
    from sessions.models import Meeting

    if not ids:
        return []
    now = now or timezone.now()

    def counted(queryset):
        return Coalesce(
            Subquery(
                queryset.filter(group_id=OuterRef("pk"))
                .order_by()
                .values("group_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        )

    current = AgreementVersion.objects.filter(
        group_id=OuterRef("group_id"), published_at__lt=now - UNSIGNED_AFTER
    ).exclude(
        Exists(
            AgreementVersion.objects.filter(
                group_id=OuterRef("group_id"), number__gt=OuterRef("number")
            )
        )
    )
    unsigned = Membership.objects.filter(status=Membership.Status.ACTIVE).filter(
        Exists(
            current.exclude(
                Exists(
                    Signature.objects.filter(
                        version_id=OuterRef("pk"), member_id=OuterRef(OuterRef("user_id"))
                    )
                )
            )
        )
    )
    rows = (
        PeerGroup.objects.filter(pk__in=ids)
        .values_list("pk")
        .annotate(
            concerns=counted(Concern.objects.exclude(status=Concern.Status.CLOSED)),
            support=counted(
                SupportRequest.objects.filter(
                    status=SupportRequest.Status.OPEN, created_at__lt=now - SUPPORT_WAIT
                )
            ),
            unsigned=counted(unsigned),
            facilitator=counted(
                Meeting.objects.filter(
                    status=Meeting.Status.SCHEDULED,
                    starts_at__gte=now,
                    starts_at__lt=now + FACILITATOR_AHEAD,
                    facilitator__isnull=True,
                )
            ),
        )
    )
    found = []
    for pk, *counts in rows.values_list("pk", "concerns", "support", "unsigned", "facilitator"):
        for rule, n in zip(("concerns", "support", "unsigned", "facilitator"), counts, strict=True):
            if n:
                found.append({"group_id": pk, "rule": rule, "n": n})
    return found


# Most urgent first: people waiting, then figures moving the wrong way, then paperwork.
ORDER = ["concerns", "support", "attendance", "heard", "disengaging", "facilitator", "unsigned"]


def _title(rule: str) -> str:
    return {
        "concerns": _("Open concerns waiting"),
        "support": _("Support requests waiting more than three days"),
        "attendance": _("Attendance fell beyond normal variation"),
        "heard": _('"I felt heard and respected" fell beyond normal variation'),
        "disengaging": _("Fewer than half the members came to any meeting"),
        "facilitator": _("Meetings in the next two weeks without a facilitator"),
        "unsigned": _("Members who have not signed the current agreement"),
    }[rule]


def _detail(item: dict) -> str:
    rule = item["rule"]
    if rule == "attendance":
        return _("%(before)s to %(now)s, last three counted months against the three before") % item
    if rule == "heard":
        return (
            _("%(before)s to %(now)s (0 to 10), last three counted months against the three before")
            % item
        )
    if rule == "disengaging":
        return _("in %(month)s") % {"month": date_format(item["month"], "YEAR_MONTH_FORMAT")}
    return str(item["n"])


def _link(item: dict, group, *, organizer: bool, organisation_slug: str) -> tuple[str, str]:
    rule, slug = item["rule"], group.slug
    if rule in ("attendance", "heard"):
        if organizer:
            return reverse("feedback:group_dashboard", args=[slug]), _("Open its dashboard")
        return "#details-participation" if rule == "attendance" else "#details-perception", _(
            "See the details below"
        )
    if rule == "disengaging":
        if organizer:
            return reverse("feedback:group_dashboard", args=[slug]), _("Open its dashboard")
        return reverse("meetings:disengagement", args=[slug]), _("See who may need a check-in")
    if rule == "concerns" and organizer:
        return reverse("groups:concerns", args=[organisation_slug]), _("Open the concerns")
    if rule in ("concerns", "support"):
        if organizer:
            return reverse("groups:detail", args=[slug]), _("Open the group")
        return reverse("groups:followups", args=[slug]), _("Open the follow-ups")
    if rule == "facilitator":
        return reverse("meetings:group_list", args=[slug]), _("Open the meetings")
    return reverse("groups:agreement_signatures", args=[slug]), _("See who has signed")


def attention(
    unit_items: list[dict], live_items: list[dict], groups, *, organizer: bool, organisation_slug
) -> dict:
    """The items as the page lists them: one line per rule, most urgent first, naming the
    groups concerned (for organizers, at most MAX_SHOWN per rule)."""
    by_pk = {g.pk: g for g in groups}
    found: dict[str, list] = {}
    for item in sorted(
        (i for i in unit_items + live_items if i["group_id"] in by_pk),
        key=lambda i: by_pk[i["group_id"]].name,
    ):
        group = by_pk[item["group_id"]]
        href, label = _link(item, group, organizer=organizer, organisation_slug=organisation_slug)
        found.setdefault(item["rule"], []).append(
            {
                "group": group,
                "detail": _detail(item),
                "href": href,
                "link": label,
                # The list of who stopped coming is for the group's facilitators only:
                # an organizer reading the group's page is sent to the figures instead.
                "facilitators_only": not organizer and item["rule"] == "disengaging",
            }
        )
    rules = []
    for rule in ORDER:
        if rule in found:
            entries = found[rule]
            rules.append(
                {
                    "rule": rule,
                    "title": _title(rule),
                    "entries": entries[:MAX_SHOWN],
                    "more": max(0, len(entries) - MAX_SHOWN),
                }
            )
    return {"rules": rules}
