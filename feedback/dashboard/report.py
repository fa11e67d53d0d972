"""Everything one dashboard shows, as guarded figures plus chart coordinates.

The page and the CSV export both read this, so they can never disagree about what is
withheld.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, transaction
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from feedback.dashboard import attention, cache, charts, headline, multiples, selectors
from feedback.dashboard.filters import (
    DashboardFilterForm,
    DashboardFilters,
    GroupChoice,
    filters_from,
)
from groups.models import Organisation, PeerGroup


@dataclass
class Dashboard:
    """One dashboard as asked for: the candidate groups, the cleaned filters, what was
    wrong with the query string, and the guarded report (read when first used: a page
    whose figures are already rendered in the cache never needs it)."""

    groups: list[GroupChoice]
    filters: DashboardFilters
    form: DashboardFilterForm
    problems: list[str]
    load: Callable[[], dict] = field(repr=False)
    # Names this report in the cache (None with the cache off), and what is drawn from it.
    cache_key: str | None = None

    @cached_property
    def report(self) -> dict:
        return self.load()


def organisation_dashboard(organisation: Organisation, params: QueryDict | None = None):
    """The organizers' page across the organisation's groups (also what bench/ times)."""
    tokens = cache.versions([organisation.pk])
    rows = cache.organisation_groups(
        organisation.pk,
        tokens,
        lambda: list(
            PeerGroup.objects.filter(organisation=organisation)
            .order_by("name", "pk")
            .values_list("pk", "name", "slug", "topics")
        ),
    )
    groups = [GroupChoice(pk, name, slug, tuple(topics or ())) for pk, name, slug, topics in rows]
    params = params if params is not None else QueryDict("")
    # Every topic tag once, from the groups already loaded: no query of its own (the SQL
    # DISTINCT this replaces also kept each group's name, so tags came once per group).
    topics = sorted({tag for g in groups for tag in g.topics or []})
    f, form, problems = filters_from(params, groups=groups, topics=topics)
    return _dashboard(
        groups, f, form, problems, organisation_ids=[organisation.pk], compare=True, tokens=tokens
    )


def group_dashboard(group: PeerGroup, params: QueryDict | None = None) -> Dashboard:
    """One group's page, for its facilitators and the organisation's organizers."""
    tokens = cache.versions([group.organisation_id])
    params = params if params is not None else QueryDict("")
    groups = [GroupChoice.of(group)]
    f, form, problems = filters_from(params, groups=groups, topics=[])
    return _dashboard(
        groups,
        f,
        form,
        problems,
        organisation_ids=[group.organisation_id],
        compare=False,
        tokens=tokens,
    )


def _dashboard(groups, f, form, problems, *, organisation_ids, compare, tokens):
    # `tokens` were read before any figure is queried (cache.versions).
    key = cache.report_key(f, organisation_ids=organisation_ids, compare=compare, tokens=tokens)
    return Dashboard(
        groups,
        f,
        form,
        problems,
        load=lambda: cache.cached(
            key, lambda: dashboard_report(f, organisation_ids=organisation_ids, compare=compare)
        ),
        cache_key=key,
    )


def _month(day) -> str:
    return date_format(day, "M Y")


def _day(day) -> str:
    return date_format(day, "j M")


# Planner settings for the dashboard's queries only (bench/README.md, "Dashboard at scale"):
# the data they read is in memory, where a random read costs about what a sequential one
# does, so the default random_page_cost (4) made PostgreSQL hash-join whole tables instead
# of looking up a period's few thousand rows by index (36 ms against 15 ms for attendance);
# and JIT compiling spent 80 ms to speed up queries that run in 10 to 30.
PLANNER = "SELECT set_config('random_page_cost', '1.1', true), set_config('jit', 'off', true)"


def dashboard_report(f: DashboardFilters, *, organisation_ids: list[int], compare: bool) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PLANNER)  # true: for this transaction only
        return _report(f, organisation_ids=organisation_ids, compare=compare)


def _report(f: DashboardFilters, *, organisation_ids: list[int], compare: bool) -> dict:
    questions = selectors.questions_for(organisation_ids)
    per_meeting = selectors.rsvps_and_attendance(f)
    by_month = selectors.attendance_by_month(f)
    # One pass over the period's check-in sums, by month; the totals add the months up.
    monthly = selectors.checkin_sums(f, questions, "month")
    checkins = selectors.checkins_by_month(f, questions, monthly)
    totals = selectors.checkin_totals(f, questions, monthly)
    _distribution_charts(totals)
    report = {
        "questions": questions,
        "per_meeting": per_meeting,
        "attendance_by_month": by_month,
        "participation": selectors.participation(f),
        "checkins_by_month": checkins,
        "checkin_totals": totals,
        "reviews": selectors.review_results(f),
        "suggestions": selectors.suggestion_counts(f),
        "goals": selectors.goals(f),
        "comparison": selectors.comparison(f, questions) if compare else [],
        "left_out": selectors.left_out(f),
    }
    report["charts"] = _charts(report)
    report["headline"] = headline.headline(f, report)
    # The rules read from frozen units are figures like the others: cached with them.
    # (Waiting work is read at each request: views.live_attention.)
    report["attention_units"] = attention.unit_rules(f, questions, f.group_ids)
    report["multiples"] = multiples.small_multiples(f, report["comparison"]) if compare else None
    return report


def _charts(report: dict) -> dict:
    per_meeting = report["per_meeting"]
    months = report["checkins_by_month"]
    questions = report["questions"]
    return {
        "per_meeting": charts.line_chart(
            [_day(r["label"]) for r in per_meeting],
            [
                {"name": _("Said going"), "values": [r["going"] for r in per_meeting]},
                {"name": _("Came"), "values": [r["present"] for r in per_meeting]},
            ],
            low=0,
            high=max([20] + [r[k].value or 0 for r in per_meeting for k in ("going", "present")]),
        ),
        "attendance": charts.line_chart(
            [_month(r["label"]) for r in report["attendance_by_month"]],
            [
                {
                    "name": _("Attendance rate (%)"),
                    "values": [r["rate"] for r in report["attendance_by_month"]],
                }
            ],
            low=0,
            high=100,
        ),
        "ratings": charts.line_chart(
            [_month(r["label"]) for r in months],
            [
                {"name": q["text"], "values": [r["questions"][i] for r in months]}
                for i, q in enumerate(questions)
            ],
            low=0,
            high=10,
        ),
        "mood": charts.line_chart(
            [_month(r["label"]) for r in months],
            [
                {"name": _("Mood before"), "values": [r["before"] for r in months]},
                {"name": _("Mood after"), "values": [r["after"] for r in months]},
            ],
            low=1,
            high=5,
        ),
    }


def _distribution_charts(totals: dict) -> None:
    for i, q in enumerate(totals["questions"]):
        q["chart"] = charts.bar_chart([(b["label"], b["share"]) for b in q["bands"]], high=100)
        q["chart_id"] = f"chart-dist-{i}"
