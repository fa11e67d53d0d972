"""Dashboard aggregates, computed by PostgreSQL over frozen units (dashboard/units.py).

Every figure is a sum over whole units that reach the small-number threshold: released
meetings (`SurveyRelease`, `MeetingFigure`) and groups' closed months
(`GroupMonthFigure`); units under it are left out. Counts of people at a moment (members,
members on a break) are shown in whole steps of the threshold. Each function returns
figures already passed through `protection.guard`, so no caller can show a number from
too few people. The number of queries depends on the number of check-in questions,
never on the number of meetings, RSVPs or answers (tests/feedback/test_dashboard_queries).
"""

from __future__ import annotations

from django.db.models import Avg, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.dashboard import figures, units
from feedback.dashboard.filters import DashboardFilters
from feedback.dashboard.protection import count, guard, share, threshold
from feedback.models import (
    DEFAULT_QUESTIONS,
    GoalReview,
    GoalReviewResponse,
    GroupGoal,
    GroupMonthFigure,
    MeetingFigure,
    QuestionSet,
    Suggestion,
    SurveyRelease,
)
from groups.models import Membership
from sessions.models import Attendance, Meeting

PRESENT = Attendance.Status.PRESENT
ACTIVE, ON_BREAK = Membership.Status.ACTIVE, Membership.Status.ON_BREAK
# Rating bands of the distribution charts (answers are 0..10), as MeetingFigure sums them.
BANDS = figures.BANDS
RECENT_MEETINGS = 24
MAX_REVIEWS = 12
MAX_COMPARED = 50
UNBOUNDED = 2**62


def meetings(f: DashboardFilters) -> QuerySet[Meeting]:
    """Meetings held in the period by the filtered groups (in the format asked for)."""
    found = Meeting.objects.filter(
        group_id__in=f.group_ids, starts_at__gte=f.start_at(), starts_at__lt=f.end_before()
    ).exclude(status=Meeting.Status.CANCELLED)
    if f.format:
        found = found.filter(format=f.format)
    return found


def held(f: DashboardFilters, ids: list[int] | None = None) -> Q:
    """The same meetings as `meetings(f)`, as conditions on a row's `meeting` (one join,
    not a join plus an IN subquery). A hybrid meeting is one meeting: the format filter
    chooses meetings, never the people in them."""
    q = Q(
        meeting__group_id__in=f.group_ids if ids is None else ids,
        meeting__starts_at__gte=f.start_at(),
        meeting__starts_at__lt=f.end_before(),
    ) & ~Q(meeting__status=Meeting.Status.CANCELLED)
    if f.format:
        q &= Q(meeting__format=f.format)
    return q


def _counted(f: DashboardFilters, ids: list[int] | None = None) -> QuerySet[SurveyRelease]:
    """Released meetings of the view that count: at least the threshold of answerers."""
    return SurveyRelease.objects.filter(held(f, ids), answerers__gte=threshold())


def left_out(f: DashboardFilters) -> dict:
    """How many released meetings of the view had too few answers to count."""
    few = SurveyRelease.objects.filter(held(f), answerers__lt=threshold()).count()
    return {"meetings": few, "threshold": threshold()}


def rsvps_and_attendance(f: DashboardFilters) -> list[dict]:
    """The latest counted meetings of the period: how many said "going" and came, as
    frozen at their release."""
    rows = (
        _counted(f)
        .order_by("-meeting__starts_at")
        .values("meeting__starts_at", "meeting__group__name", "going", "present")[:RECENT_MEETINGS]
    )
    return [
        {
            "label": timezone.localtime(r["meeting__starts_at"]).date(),
            "group": r["meeting__group__name"],
            "going": count(r["going"]),
            "present": count(r["present"]),
        }
        for r in reversed(rows)
    ]


def _months(f: DashboardFilters, ids: list[int] | None = None) -> QuerySet[GroupMonthFigure]:
    """The groups' counted months that overlap the period (whole months, all formats)."""
    return GroupMonthFigure.objects.filter(
        group_id__in=f.group_ids if ids is None else ids,
        month__gte=units.month_start(f.start),
        month__lte=f.end,
    )


def _sum_over(field: str, people: str | None = None):
    """Sum of `field` over the units whose `people` (default: `field`) reach the threshold."""
    return Coalesce(Sum(field, filter=Q(**{f"{people or field}__gte": threshold()})), 0)


def attendance_by_month(f: DashboardFilters) -> list[dict]:
    """Share of marked places that were "present", per month, over the groups' months
    with at least the threshold of people marked."""
    rows = (
        _months(f)
        .values("month")
        .annotate(
            marked=_sum_over("marked", "marked_people"),
            present=_sum_over("present", "marked_people"),
            people=_sum_over("marked_people"),
        )
        .order_by("month")
    )
    return [
        {
            "label": r["month"],
            "rate": guard(
                round(100 * r["present"] / r["marked"]) if r["marked"] else None,
                r["people"],
                unit="%",
                people=True,
            ),
        }
        for r in rows
    ]


def _stepped(n: int | None) -> int:
    """A count of people at a moment, down to a whole number of thresholds: two such
    counts never differ by fewer than the threshold."""
    step = threshold()
    return (n or 0) // step * step


def _latest_stock(f: DashboardFilters, ids: list[int] | None = None) -> dict[int, dict]:
    """Per group, the members and members on a break of its latest counted month in the
    period, each in whole steps of the threshold."""
    latest = _months(f, ids).order_by("group_id", "-month").distinct("group_id")
    return {
        r.group_id: {"members": _stepped(r.members), "on_break": _stepped(r.on_break)}
        for r in latest.only("group_id", "members", "on_break")
    }


def participation(f: DashboardFilters) -> dict:
    """Members and members on a break (latest counted month, in steps of the threshold),
    new members and people who came (added up over the groups' counted months)."""
    flows = _months(f).aggregate(new=_sum_over("new"), came=_sum_over("came"))
    stock = _latest_stock(f).values()
    return {
        "members": count(sum(s["members"] for s in stock)),
        "on_break": count(sum(s["on_break"] for s in stock)),
        "active": count(flows["came"]),
        "new": count(flows["new"]),
        "step": threshold(),
    }


def questions_for(organisation_ids: list[int]) -> list[dict]:
    """The check-in questions (key, text) of these organisations, newest wording wins."""
    found: dict[str, str] = {}
    sets = QuestionSet.objects.filter(organisation_id__in=organisation_ids).order_by("version")
    for question_set in sets.values_list("questions", flat=True):
        for question in question_set:
            # The default wording is in the catalogues; an organisation's own is shown as typed.
            found[question["key"]] = _(question["text"])
    if not found:
        found = {q["key"]: _(q["text"]) for q in DEFAULT_QUESTIONS}
    return [{"key": k, "text": t} for k, t in found.items()]


def _bucket(by: str | None):
    if by == "month":
        return TruncMonth("meeting__starts_at")
    if by == "group":
        return F("meeting__group_id")
    return Value(0)


def _empty(keys: list[str]) -> dict:
    return {k: {"answered": 0, "total": 0, "bands": [0] * len(BANDS)} for k in keys}


def checkin_sums(
    f: DashboardFilters, questions: list[dict], by: str | None = None, ids: list[int] | None = None
) -> dict:
    """Check-in sums per bucket (the whole period, each month or each group): for each
    question key and both moods, answers, their total and their count per band.

    One query over the released meetings' sums (MeetingFigure, no JSON to parse), only
    meetings with at least the threshold of answerers, and of those only the question
    keys at least that many of them answered: every total is made of whole meetings.
    """
    keys = [q["key"] for q in questions] + list(MeetingFigure.MOODS)
    sums = {
        "answered": Sum("answered"),
        "total": Sum("total"),
        **{f"b{b}": Sum(f"band{b}") for b in range(len(BANDS))},
    }
    found: dict = {}
    summed = (
        MeetingFigure.objects.filter(
            held(f, ids),
            key__in=keys,
            answerers__gte=threshold(),
            answered__gte=threshold(),
        )
        .annotate(bucket=_bucket(by))
        .values("bucket", "key")
        .annotate(**sums)
        .order_by()
    )
    for r in summed:
        bucket = found.setdefault(r["bucket"], _empty(keys))
        bucket[r["key"]] = {
            "answered": r["answered"],
            "total": r["total"],
            "bands": [r[f"b{b}"] for b in range(len(BANDS))],
        }
    return found


def _average(summed: dict) -> float | None:
    return summed["total"] / summed["answered"] if summed["answered"] else None


def checkins_by_month(
    f: DashboardFilters, questions: list[dict], monthly: dict | None = None
) -> list[dict]:
    """Per month: each question's average (0-10) and the mood before and after (1-5).
    `monthly`: `checkin_sums(f, questions, "month")` when the caller already has it."""
    monthly = checkin_sums(f, questions, "month") if monthly is None else monthly
    result = []
    for month, r in sorted(monthly.items()):
        before, after = r[MeetingFigure.MOOD_BEFORE], r[MeetingFigure.MOOD_AFTER]
        n = before["answered"]
        result.append(
            {
                "label": timezone.localtime(month).date(),
                "before": guard(_average(before), n),
                "after": guard(_average(after), n),
                "questions": [
                    guard(_average(r[q["key"]]), r[q["key"]]["answered"]) for q in questions
                ],
            }
        )
    return result


def _added(buckets: list[dict], keys: list[str]) -> dict:
    """Buckets added up."""
    total = _empty(keys)
    for bucket in buckets:
        for key in keys:
            kept, more = total[key], bucket[key]
            kept["answered"] += more["answered"]
            kept["total"] += more["total"]
            kept["bands"] = [a + b for a, b in zip(kept["bands"], more["bands"], strict=True)]
    return total


def checkin_totals(f: DashboardFilters, questions: list[dict], monthly: dict | None = None) -> dict:
    """Over the whole period: averages, mood, and each question's answers by band.
    With `monthly` (as for `checkins_by_month`), the months are added up: no query."""
    keys = [q["key"] for q in questions] + list(MeetingFigure.MOODS)
    if monthly is None:
        r = checkin_sums(f, questions).get(0) or _empty(keys)
    else:
        r = _added(list(monthly.values()), keys)
    per_question = []
    for q in questions:
        summed = r[q["key"]]
        answered = summed["answered"]
        n = answered
        per_question.append(
            {
                "text": q["text"],
                "average": guard(_average(summed), n),
                "bands": [
                    {"label": f"{low}-{high}", "share": share(summed["bands"][b], answered, n=n)}
                    for b, (low, high) in enumerate(BANDS)
                ],
            }
        )
    before, after = r[MeetingFigure.MOOD_BEFORE], r[MeetingFigure.MOOD_AFTER]
    n = before["answered"]
    return {
        "answers": guard(before["answered"], n),
        "before": guard(_average(before), n),
        "after": guard(_average(after), n),
        "questions": per_question,
    }


def review_results(f: DashboardFilters) -> list[dict]:
    """Purpose reviews opened in the period whose answers were released (each review is a
    unit of its own): per objective, the share of each verdict."""
    latest = GoalReview.objects.filter(
        group_id__in=f.group_ids, opened_on__range=(f.start, f.end), released=True
    ).order_by("-opened_on", "-pk")[:MAX_REVIEWS]
    reviews = list(latest.select_related("group"))
    verdicts = GoalReviewResponse.Verdict.values
    most = max((len(r.objectives) for r in reviews), default=0)
    figures = {"n": Count("pk"), "discussions": Avg("discussions"), "activities": Avg("activities")}
    for i in range(most):
        for v in verdicts:
            figures[f"o{i}_{v}"] = Count("pk", filter=Q(**{f"verdicts__{i}": v}))
    # Always two queries (the answers by a subquery), with or without reviews.
    rows = {
        r["review"]: r
        for r in GoalReviewResponse.objects.filter(review__in=latest.values("pk"))
        .values("review")
        .annotate(**figures)
    }
    results = []
    for review in reviews:
        r = rows.get(review.pk, {"n": 0, "discussions": None, "activities": None})
        n = r["n"]
        results.append(
            {
                "review": review,
                "answers": count(n),
                "discussions": guard(r["discussions"], n),
                "activities": guard(r["activities"], n),
                "objectives": [
                    {"text": text, "verdicts": [share(r.get(f"o{i}_{v}"), n) for v in verdicts]}
                    for i, text in enumerate(review.objectives)
                ],
            }
        )
    return results


def suggestion_counts(f: DashboardFilters) -> dict:
    """Suggestions by kind and status over the groups' counted months with at least the
    threshold of suggestions (status as it was when the month was counted)."""
    found: dict[tuple[str, str], int] = {}
    for counts in _months(f).values_list("suggestions", flat=True):
        if sum(counts.values()) < threshold():
            continue
        for cell, n in counts.items():
            kind, _sep, status = cell.partition(":")
            found[(kind, status)] = found.get((kind, status), 0) + n
    total = sum(found.values())
    return {
        "total": count(total),
        "statuses": Suggestion.Status.choices,
        "kinds": [
            {
                "label": label,
                "cells": [
                    guard(found.get((kind, s), 0), total) for s, _l in Suggestion.Status.choices
                ],
            }
            for kind, label in Suggestion.Kind.choices
        ],
    }


def goals(f: DashboardFilters) -> dict:
    """Personal goals set in the groups' counted months by at least the threshold of
    members: only the share achieved (as when the month was counted). Group goals are the
    group's shared goals, already visible to its members; they are listed with how many
    progress notes the period saw."""
    personal = _months(f).aggregate(
        total=_sum_over("goals", "goal_people"),
        achieved=_sum_over("goals_achieved", "goal_people"),
        people=_sum_over("goal_people"),
    )
    people = personal["people"]
    in_period = Q(notes__created_at__gte=f.start_at(), notes__created_at__lt=f.end_before())
    group_goals = (
        GroupGoal.objects.filter(group_id__in=f.group_ids)
        .annotate(notes_in_period=Count("notes", filter=in_period))
        .values("title", "status", "group__name", "notes_in_period")
        .order_by("group__name", "status", "pk")[:MAX_COMPARED]
    )
    labels = dict(GroupGoal.Status.choices)
    return {
        "people": count(people),
        "achieved": guard(
            round(100 * personal["achieved"] / personal["total"]) if personal["total"] else None,
            people,
            unit="%",
        ),
        "group_goals": [
            {**g, "status_label": labels.get(g["status"], g["status"])} for g in group_goals
        ],
    }


def compared_question(questions: list[dict]) -> dict:
    """The question the side-by-side table shows: "overall" when the set has it."""
    return next((q for q in questions if q["key"] == "overall"), questions[0])


def comparison(f: DashboardFilters, questions: list[dict]) -> list[dict]:
    """One row per group for the side-by-side table (three grouped queries in all)."""
    groups = f.groups[:MAX_COMPARED]
    ids = [g.pk for g in groups]
    stock = _latest_stock(f, ids)
    months = {
        r["group"]: r
        for r in _months(f, ids)
        .values("group")
        .annotate(
            new=_sum_over("new"),
            marked=_sum_over("marked", "marked_people"),
            present=_sum_over("present", "marked_people"),
            people=_sum_over("marked_people"),
        )
    }
    compared = compared_question(questions)
    key = compared["key"]
    # Only the compared question (and the moods): half the rows of all the questions.
    answers = checkin_sums(f, [compared], "group", ids)
    rows = []
    for group in groups:
        m = months.get(group.pk, {})
        c = answers.get(group.pk) or _empty([key, *MeetingFigure.MOODS])
        marked = m.get("marked") or 0
        n = c[MeetingFigure.MOOD_BEFORE]["answered"]
        rows.append(
            {
                "group": group,
                "members": count(stock.get(group.pk, {}).get("members")),
                "new": count(m.get("new")),
                "attendance": guard(
                    round(100 * m["present"] / marked) if marked else None,
                    m.get("people"),
                    unit="%",
                    people=True,
                ),
                "rating": guard(_average(c[key]), c[key]["answered"]),
                "before": guard(_average(c[MeetingFigure.MOOD_BEFORE]), n),
                "after": guard(_average(c[MeetingFigure.MOOD_AFTER]), n),
            }
        )
    return rows
