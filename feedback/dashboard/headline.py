"""The top of a dashboard: a few figures for the chosen period against the one before,
each with a sparkline (one point per month) and a sentence in plain words.

The period before is the same length of time ending the day before the period starts:
exactly the view a person gets by asking for those dates, computed by the same rules
over the same whole units (dashboard/units.py), so it adds nothing a person could not
already ask for. A sparkline's point is one calendar month: the units of that month, the
figure a one-month view shows. Every figure is `Protected`; a withheld one reads "not
shown" and the headline says why once.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from feedback.dashboard import charts, selectors, units
from feedback.dashboard.filters import EARLIEST, DashboardFilters
from feedback.dashboard.protection import Protected, count, guard, threshold
from feedback.models import MeetingFigure

# Changes smaller than these read "about the same": month-to-month noise in small groups.
STEADY = {"%": 2, "rating": 0.2, "mood": 0.1, "people": 0}


def previous(f: DashboardFilters) -> DashboardFilters | None:
    """The same length of time just before `f` (None for "all time": nothing before)."""
    if f.start <= EARLIEST:
        return None
    days = (f.end - f.start).days + 1
    end = f.start - datetime.timedelta(days=1)
    start = max(EARLIEST, end - datetime.timedelta(days=days - 1))
    return replace(f, start=start, end=end, period="custom")


def _stepped_sum(field: str):
    """Per group-month, a count of people at a moment in whole steps of the threshold
    (as selectors._stepped), added up: PostgreSQL divides integers exactly like //."""
    step = threshold()
    return Coalesce(Sum((F(field) / Value(step)) * Value(step), output_field=IntegerField()), 0)


def monthly_units(f: DashboardFilters, start: datetime.date, ids: list[int] | None = None):
    """Per month from `start` to the end of `f`: the counted sums of the groups' months
    (each sum over the units that reach the threshold, as the selectors add them)."""
    s = selectors._sum_over
    rows = (
        selectors.GroupMonthFigure.objects.filter(
            group_id__in=f.group_ids if ids is None else ids,
            month__gte=units.month_start(start),
            month__lte=f.end,
        )
        .values("month")
        .annotate(
            members=_stepped_sum("members"),
            came=s("came"),
            marked=s("marked", "marked_people"),
            present=s("present", "marked_people"),
            people=s("marked_people"),
            goals=s("goals", "goal_people"),
            achieved=s("goals_achieved", "goal_people"),
            goal_people=s("goal_people"),
        )
        .order_by("month")
    )
    return {r["month"]: r for r in rows}


def _in(months: dict, f: DashboardFilters) -> list[dict]:
    """The months a view of `f` counts: those that overlap its dates."""
    first = units.month_start(f.start)
    return [r for m, r in months.items() if first <= m <= f.end]


def _added(rows: list[dict]) -> dict:
    keys = ("came", "marked", "present", "people", "goals", "achieved", "goal_people")
    return {k: sum(r[k] for r in rows) for k in keys}


def attendance_rate(r: dict) -> Protected:
    return guard(
        round(100 * r["present"] / r["marked"]) if r["marked"] else None,
        r["people"],
        unit="%",
        people=True,
    )


def goals_share(r: dict) -> Protected:
    return guard(
        round(100 * r["achieved"] / r["goals"]) if r["goals"] else None, r["goal_people"], unit="%"
    )


def _average(summed: dict) -> Protected:
    n = summed["answered"]
    return guard(summed["total"] / n if n else None, n)


def _checkins(f, before_f, start, asked) -> tuple[dict, dict | None]:
    """One query: the check-in sums of `asked` and both moods, per month from `start` to
    the end of `f` (each month's whole meetings) and over the period before as a whole."""
    keys = [q["key"] for q in asked] + list(MeetingFigure.MOODS)
    extended = replace(f, start=start)
    earlier = Case(
        When(meeting__starts_at__lt=f.start_at(), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    monthly: dict = {}
    before = selectors._empty(keys) if before_f is not None else None
    for r in (
        MeetingFigure.objects.filter(
            selectors.held(extended),
            key__in=keys,
            answerers__gte=threshold(),
            answered__gte=threshold(),
        )
        .annotate(bucket=TruncMonth("meeting__starts_at"), earlier=earlier)
        .values("bucket", "earlier", "key")
        .annotate(answered=Sum("answered"), total=Sum("total"))
        .order_by()
    ):
        month = timezone.localtime(r["bucket"]).date().replace(day=1)
        for kept in (
            monthly.setdefault(month, selectors._empty(keys)),
            before if r["earlier"] else None,
        ):
            if kept is not None:
                kept[r["key"]]["answered"] += r["answered"]
                kept[r["key"]]["total"] += r["total"]
    return monthly, before


def _month_list(f: DashboardFilters, start: datetime.date, found) -> list[datetime.date]:
    """Every month from `start` (or the first with any figure) to the end of `f`."""
    first = units.month_start(start)
    first = max(first, min(found) if found else units.month_start(f.start))
    months, month = [], first
    while month <= f.end:
        months.append(month)
        month = units.next_month(month)
    return months


def _when(f: DashboardFilters) -> str:
    if f.period == "3m":
        return _("the 3 months before")
    if f.period == "12m":
        return _("the 12 months before")
    return _("%(start)s to %(end)s") % {
        "start": date_format(f.start, "j M Y"),
        "end": date_format(f.end, "j M Y"),
    }


def trend(now: Protected, before: Protected | None, *, kind: str) -> str:
    """ "up", "down" or "same"; "" when either figure is not shown."""
    if before is None or not (now.shown and before.shown):
        return ""
    change = now.value - before.value
    if abs(round(change, 2)) <= STEADY[kind]:
        return "same"
    return "up" if change > 0 else "down"


def _sentence(name: str, now: Protected, before: Protected | None, direction: str, when: str):
    if not now.shown:
        return _("%(name)s: not shown for this period.") % {"name": name}
    if before is None:
        return _("%(name)s: %(now)s.") % {"name": name, "now": now}
    if not before.shown:
        return _("%(name)s: %(now)s; no figure for %(when)s to compare with.") % {
            "name": name,
            "now": now,
            "when": when,
        }
    words = {
        "up": _("%(name)s rose from %(before)s to %(now)s, compared with %(when)s."),
        "down": _("%(name)s fell from %(before)s to %(now)s, compared with %(when)s."),
        "same": _("%(name)s stayed about the same: %(now)s, against %(before)s in %(when)s."),
    }[direction]
    return words % {"name": name, "now": now, "before": before, "when": when}


# The sparkline's fixed range for each kind of figure (None: as high as the data goes).
SCALES = {"people": (0, None), "%": (0, 100), "rating": (0, 10), "mood": (1, 5)}


def _item(key, name, now, before, series, months, *, kind, when, months_before):
    direction = trend(now, before, kind=kind)
    low, high = SCALES[kind]
    return {
        "key": key,
        "name": name,
        "now": now,
        "before": before,
        "trend": direction,
        "sentence": _sentence(name, now, before, direction, when),
        "spark": charts.sparkline(
            [date_format(m, "M Y") for m in months],
            series,
            low=low,
            high=high,
            split=months_before,
        ),
    }


def headline(f: DashboardFilters, report: dict) -> dict:
    """The headline of the view `f`, whose report's figures are reused where they exist.
    Two queries: the groups' months of both periods, and the check-in sums by month."""
    before_f = previous(f)
    start = before_f.start if before_f else f.start
    months = monthly_units(f, start)
    compared = selectors.compared_question(report["questions"])
    asked = [compared]
    monthly_checkins, sums = _checkins(f, before_f, start, asked)
    month_list = _month_list(f, start, set(months) | set(monthly_checkins))
    split = sum(1 for m in month_list if m < units.month_start(f.start))

    now_rows = _added(_in(months, f))
    before_rows = members_before = None
    if before_f is not None:
        before_months = _in(months, before_f)
        before_rows = _added(before_months)
        # Every group has a row for every counted month, so the groups' latest counted
        # month of the period before is its last month with rows (selectors._latest_stock).
        members_before = count(before_months[-1]["members"] if before_months else 0)

    def per_month(figure) -> list[Protected]:
        return [figure(months[m]) if m in months else Protected(None, "") for m in month_list]

    def checkin_month(key):
        return [
            _average(monthly_checkins[m][key]) if m in monthly_checkins else Protected(None)
            for m in month_list
        ]

    when = _when(f)
    index = next(i for i, q in enumerate(report["questions"]) if q["key"] == compared["key"])
    rating_now = report["checkin_totals"]["questions"][index]["average"]
    mood = report["checkin_totals"]
    common = {"when": when, "months_before": split}
    items = [
        _item(
            "members",
            _("Members taking part"),
            report["participation"]["members"],
            members_before,
            [{"name": _("Members"), "values": per_month(lambda r: count(r["members"]))}],
            month_list,
            kind="people",
            **common,
        ),
        _item(
            "attendance",
            _("Attendance"),
            attendance_rate(now_rows),
            attendance_rate(before_rows) if before_rows else None,
            [{"name": _("Attendance rate (%)"), "values": per_month(attendance_rate)}],
            month_list,
            kind="%",
            **common,
        ),
        _item(
            "rating",
            _('"%(q)s" (0 to 10)') % {"q": compared["text"]},
            rating_now,
            _average(sums[compared["key"]]) if sums else None,
            [{"name": compared["text"], "values": checkin_month(compared["key"])}],
            month_list,
            kind="rating",
            **common,
        ),
        _item(
            "mood",
            _("Mood after meetings (1 to 5)"),
            mood["after"],
            _average(sums[MeetingFigure.MOOD_AFTER]) if sums else None,
            [
                {"name": _("Mood before"), "values": checkin_month(MeetingFigure.MOOD_BEFORE)},
                {"name": _("Mood after"), "values": checkin_month(MeetingFigure.MOOD_AFTER)},
            ],
            month_list,
            kind="mood",
            **common,
        ),
        _item(
            "goals",
            _("Personal goals achieved"),
            report["goals"]["achieved"],
            goals_share(before_rows) if before_rows else None,
            [{"name": _("Goals achieved (%)"), "values": per_month(goals_share)}],
            month_list,
            kind="%",
            **common,
        ),
    ]
    items[3]["mood_before"] = mood["before"]
    return {
        "items": items,
        "previous": before_f,
        "when": when,
        "withheld": any(not i["now"].shown for i in items),
        # For the differencing test and the CSV: the counts each view adds.
        "months": month_list,
        "monthly_members": per_month(lambda r: count(r["members"])),
        "members_before": members_before,
    }
