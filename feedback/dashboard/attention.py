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

Live (read at each request, never cached: they change as people act):
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


def _rate(rows: list) -> dict:
    """Attendance over group-months, each counted only with at least T people marked."""
    kept = [r for r in rows if r.marked_people >= threshold()]
    marked = sum(r.marked for r in kept)
    present = sum(r.present for r in kept)
    people = sum(r.marked_people for r in kept)
    return guard(round(100 * present / marked) if marked else None, people, unit="%", people=True)


def unit_rules(f: DashboardFilters, questions: list[dict], ids: list[int]) -> list[dict]:
    """The rules read from frozen units, per group (three queries)."""
    span = windows(f)
    if span is None or not ids:
        return []
    earlier, recent, last = span
    by_group: dict[int, list] = {}
    for r in selectors.GroupMonthFigure.objects.filter(
        group_id__in=ids, month__gte=earlier, month__lte=last
    ).only("group_id", "month", "members", "came", "marked", "present", "marked_people"):
        by_group.setdefault(r.group_id, []).append(r)
    found = []
    for pk, rows in by_group.items():
        now = _rate([r for r in rows if r.month >= recent])
        before = _rate([r for r in rows if r.month < recent])
        if now.shown and before.shown and before.value - now.value >= ATTENDANCE_DROP:
            found.append({"group_id": pk, "rule": "attendance", "now": now, "before": before})
        with_meetings = [r for r in rows if r.month >= recent and r.marked]
        latest = max(with_meetings, key=lambda r: r.month, default=None)
        if latest and latest.members >= threshold() and 2 * latest.came < latest.members:
            found.append({"group_id": pk, "rule": "disengaging", "month": latest.month})
    if any(q["key"] == HEARD_KEY for q in questions):
        found += _heard(f, ids, earlier, recent, units.next_month(last))
    return found


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
        .annotate(answered=Sum("answered"), total=Sum("total"))
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
        if now.shown and before.shown and before.value - now.value >= HEARD_DROP:
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


def _text(item: dict, name: str | None) -> str:
    rule = item["rule"]
    subject = name or _("This group")
    if rule == "attendance":
        return _(
            "%(subject)s: attendance fell from %(before)s to %(now)s over the last three "
            "counted months."
        ) % {"subject": subject, "before": item["before"], "now": item["now"]}
    if rule == "heard":
        return _(
            '%(subject)s: "felt heard and respected" fell from %(before)s to %(now)s (0 to 10) '
            "over the last three counted months."
        ) % {"subject": subject, "before": item["before"], "now": item["now"]}
    if rule == "disengaging":
        return _("%(subject)s: fewer than half the members came to a meeting in %(month)s.") % {
            "subject": subject,
            "month": date_format(item["month"], "YEAR_MONTH_FORMAT"),
        }
    n = item["n"]
    if rule == "concerns":
        return _("%(subject)s: %(n)d open concern(s) waiting.") % {"subject": subject, "n": n}
    if rule == "support":
        return _(
            "%(subject)s: %(n)d support request(s) waiting more than three days for a reply."
        ) % {"subject": subject, "n": n}
    if rule == "facilitator":
        return _("%(subject)s: %(n)d meeting(s) in the next two weeks without a facilitator.") % {
            "subject": subject,
            "n": n,
        }
    return _(
        "%(subject)s: %(n)d member(s) have not signed the current agreement, published more "
        "than two weeks ago."
    ) % {"subject": subject, "n": n}


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
    """The items as the page lists them, most urgent first (at most MAX_SHOWN)."""
    by_pk = {g.pk: g for g in groups}
    names = {g.pk: g.name for g in groups}
    items = sorted(
        (i for i in unit_items + live_items if i["group_id"] in by_pk),
        key=lambda i: (ORDER.index(i["rule"]), names[i["group_id"]]),
    )
    shown = []
    for item in items[:MAX_SHOWN]:
        group = by_pk[item["group_id"]]
        href, label = _link(item, group, organizer=organizer, organisation_slug=organisation_slug)
        shown.append(
            {
                "rule": item["rule"],
                "group": group,
                "text": _text(item, group.name if organizer else None),
                "href": href,
                "link": label,
            }
        )
    return {"items": shown, "more": max(0, len(items) - MAX_SHOWN)}


def connect() -> None:
    """Waiting work renews its organisation's dashboards (called from FeedbackConfig.ready
    next to cache.connect): concerns, support requests, agreements and signatures.
    Meetings and memberships already renew them."""
    from feedback.dashboard import cache
    from groups.models import AgreementVersion, Concern, Signature, SupportRequest
    from groups.rows import organisation_of_group_row
    from peersupport import rowcache

    def receive(sender, instance, **kwargs) -> None:
        cache.invalidate([organisation_of_group_row(instance)])

    rowcache.on_save_and_delete(
        "dashboard-attention",
        [(model, receive) for model in (Concern, SupportRequest, AgreementVersion, Signature)],
    )
