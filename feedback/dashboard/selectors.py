"""Dashboard aggregates, computed by PostgreSQL (annotate / aggregate, FILTER, TruncMonth).

Each function takes the cleaned filters (or plain keyword arguments through them) and
returns figures already passed through `protection.guard`, so no caller can show a number
from too few people. The number of queries depends on the number of check-in questions,
never on the number of meetings, RSVPs or answers (tests/feedback/test_dashboard_queries).
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.dashboard import figures
from feedback.dashboard.filters import DashboardFilters
from feedback.dashboard.protection import count, guard, share
from feedback.models import (
    DEFAULT_QUESTIONS,
    CheckinReceipt,
    CheckinResponse,
    GoalReview,
    GoalReviewResponse,
    GroupGoal,
    MeetingFigure,
    PersonalGoal,
    QuestionSet,
    Suggestion,
)
from groups.models import Membership
from sessions.models import Attendance, Meeting, Rsvp

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
    not a join plus an IN subquery)."""
    q = Q(
        meeting__group_id__in=f.group_ids if ids is None else ids,
        meeting__starts_at__gte=f.start_at(),
        meeting__starts_at__lt=f.end_before(),
    ) & ~Q(meeting__status=Meeting.Status.CANCELLED)
    if f.format:
        q &= Q(meeting__format=f.format)
    return q


def _per_meeting_count(model, **conditions):
    counted = (
        model.objects.filter(meeting=OuterRef("pk"), **conditions)
        .order_by()
        .values("meeting")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def rsvps_and_attendance(f: DashboardFilters) -> list[dict]:
    """The latest meetings of the period: how many said "going" and how many came."""
    rows = (
        meetings(f)
        .annotate(
            going=_per_meeting_count(Rsvp, status=Rsvp.Status.GOING),
            present=_per_meeting_count(Attendance, status=PRESENT),
        )
        .order_by("-starts_at")
        .values("starts_at", "group__name", "going", "present")[:RECENT_MEETINGS]
    )
    return [
        {
            "label": timezone.localtime(r["starts_at"]).date(),
            "group": r["group__name"],
            "going": count(r["going"]),
            "present": count(r["present"]),
        }
        for r in reversed(rows)
    ]


def attendance_by_month(f: DashboardFilters) -> list[dict]:
    """Share of marked places that were "present", per month; guarded by people marked."""
    rows = (
        Attendance.objects.filter(held(f))
        .annotate(month=TruncMonth("meeting__starts_at"))
        .values("month")
        .annotate(
            marked=Count("pk"),
            present=Count("pk", filter=Q(status=PRESENT)),
            people=Count("user", distinct=True),
        )
        .order_by("month")
    )
    return [
        {
            "label": timezone.localtime(r["month"]).date(),
            "rate": guard(
                round(100 * r["present"] / r["marked"]), r["people"], unit="%", people=True
            ),
        }
        for r in rows
    ]


def _retained(weeks: int, f: DashboardFilters):
    later = Attendance.objects.filter(
        user=OuterRef("user"),
        meeting__group=OuterRef("group"),
        status=PRESENT,
        meeting__starts_at__gte=OuterRef("joined_at") + datetime.timedelta(weeks=weeks),
    )
    if f.format:
        later = later.filter(meeting__format=f.format)
    return Exists(later)


def participation(f: DashboardFilters) -> dict:
    """Active, new and on-a-break members; retention after 4 and 12 weeks (3 queries)."""
    now = timezone.now()
    in_period = Q(joined_at__gte=f.start_at(), joined_at__lt=f.end_before())
    # Members on a break chose to step away: they are not counted as lost.
    cohort = in_period & ~Q(status=ON_BREAK)
    four, twelve = now - datetime.timedelta(weeks=4), now - datetime.timedelta(weeks=12)
    mine = Membership.objects.filter(group_id__in=f.group_ids)
    members = mine.aggregate(
        members=Count("user", distinct=True, filter=Q(status__in=[ACTIVE, ON_BREAK])),
        on_break=Count("user", distinct=True, filter=Q(status=ON_BREAK)),
        new=Count("pk", filter=in_period),
    )
    # Retention apart, over the cohort only: asked of every membership, PostgreSQL costed
    # the attendance look-ups for all of them and spent 80 ms compiling the query (JIT)
    # to run 25 ms of work (bench/README.md, "Dashboard at scale").
    members |= mine.filter(cohort, joined_at__lte=four).aggregate(
        cohort4=Count("pk"),
        kept4=Count("pk", filter=Q(_retained(4, f))),
        cohort12=Count("pk", filter=Q(joined_at__lte=twelve)),
        kept12=Count("pk", filter=Q(joined_at__lte=twelve) & Q(_retained(12, f))),
    )
    came = Attendance.objects.filter(held(f), status=PRESENT).aggregate(
        people=Count("user", distinct=True)
    )
    return {
        "members": count(members["members"]),
        "active": count(came["people"]),
        "new": count(members["new"]),
        "on_break": count(members["on_break"]),
        "retention4": share(members["kept4"], members["cohort4"], people=True),
        "retention12": share(members["kept12"], members["cohort12"], people=True),
    }


def questions_for(organisation_ids: list[int]) -> list[dict]:
    """The check-in questions (key, text) of these organisations, newest wording wins."""
    found: dict[str, str] = {}
    sets = QuestionSet.objects.filter(organisation_id__in=organisation_ids).order_by("version")
    for question_set in sets.values_list("questions", flat=True):
        for question in question_set:
            found[question["key"]] = question["text"]
    if not found:
        found = {q["key"]: _(q["text"]) for q in DEFAULT_QUESTIONS}
    return [{"key": k, "text": t} for k, t in found.items()]


def _rating(key: str):
    return Cast(KeyTextTransform(key, "ratings"), IntegerField())


def _bucket(by: str | None):
    if by == "month":
        return TruncMonth("meeting__starts_at")
    if by == "group":
        return F("meeting__group_id")
    return Value(0)


def _empty(keys: list[str]) -> dict:
    return {k: {"answered": 0, "total": 0, "bands": [0] * len(BANDS)} for k in keys} | {"who": 0}


def checkin_sums(
    f: DashboardFilters, questions: list[dict], by: str | None = None, ids: list[int] | None = None
) -> dict:
    """Check-in sums per bucket (the whole period, each month or each group): for each
    question key and both moods, answers, their total and their count per band, plus
    `who`, a lower bound of the different people who answered.

    Two queries: the sealed surveys' per-meeting sums (MeetingFigure, no JSON to parse)
    and the answers not sealed yet (a few days' worth). `who` is the most people who
    answered at any one meeting of the bucket: the real number of different people is at
    least that, so a figure passing the threshold with it would pass with the exact
    count too (figures are withheld a little more often, never shown more often). The
    exact count needs every receipt of the period; this needs none.
    """
    keys = [q["key"] for q in questions] + list(MeetingFigure.MOODS)
    sums = {
        "answered": Sum("answered"),
        "total": Sum("total"),
        "who": Max("answerers"),
        **{f"b{b}": Sum(f"band{b}") for b in range(len(BANDS))},
    }
    found: dict = {}
    summed = (
        MeetingFigure.objects.filter(held(f, ids), key__in=keys)
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
        bucket["who"] = max(bucket["who"], r["who"])
    # Answers of surveys not sealed yet, per meeting (a few days of meetings at most).
    receipts = (
        CheckinReceipt.objects.filter(meeting=OuterRef("meeting"))
        .order_by()
        .values("meeting")
        .annotate(c=Count("pk"))
        .values("c")
    )
    columns = {
        "n": Count("pk"),
        "before": Sum("mood_before"),
        "after": Sum("mood_after"),
        "who": Coalesce(Subquery(receipts, output_field=IntegerField()), 0),
    }
    for i, _q in enumerate(questions):
        columns[f"q{i}_n"] = Count(f"r{i}")
        columns[f"q{i}_t"] = Sum(f"r{i}")
        for b, (low, high) in enumerate(BANDS):
            columns[f"q{i}_b{b}"] = Count("pk", filter=Q(**{f"r{i}__range": (low, high)}))
    unsealed = (
        CheckinResponse.objects.filter(held(f, ids), sealed=False)
        .annotate(
            bucket=_bucket(by), **{f"r{i}": _rating(q["key"]) for i, q in enumerate(questions)}
        )
        .values("bucket", "meeting")
        .annotate(**columns)
        .order_by()
    )
    for r in unsealed:
        bucket = found.setdefault(r["bucket"], _empty(keys))
        for key, column in (
            (MeetingFigure.MOOD_BEFORE, "before"),
            (MeetingFigure.MOOD_AFTER, "after"),
        ):
            bucket[key]["answered"] += r["n"]
            bucket[key]["total"] += r[column] or 0
        for i, q in enumerate(questions):
            kept = bucket[q["key"]]
            kept["answered"] += r[f"q{i}_n"]
            kept["total"] += r[f"q{i}_t"] or 0
            kept["bands"] = [kept["bands"][b] + r[f"q{i}_b{b}"] for b in range(len(BANDS))]
        bucket["who"] = max(bucket["who"], r["who"])
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
        who = r["who"]
        before, after = r[MeetingFigure.MOOD_BEFORE], r[MeetingFigure.MOOD_AFTER]
        n = min(before["answered"], who)
        result.append(
            {
                "label": timezone.localtime(month).date(),
                "before": guard(_average(before), n),
                "after": guard(_average(after), n),
                "questions": [
                    guard(_average(r[q["key"]]), min(r[q["key"]]["answered"], who))
                    for q in questions
                ],
            }
        )
    return result


def _added(buckets: list[dict], keys: list[str]) -> dict:
    """Buckets added up: sums add, and the most answerers at one meeting is the largest."""
    total = _empty(keys)
    for bucket in buckets:
        for key in keys:
            kept, more = total[key], bucket[key]
            kept["answered"] += more["answered"]
            kept["total"] += more["total"]
            kept["bands"] = [a + b for a, b in zip(kept["bands"], more["bands"], strict=True)]
        total["who"] = max(total["who"], bucket["who"])
    return total


def checkin_totals(f: DashboardFilters, questions: list[dict], monthly: dict | None = None) -> dict:
    """Over the whole period: averages, mood, and each question's answers by band.
    With `monthly` (as for `checkins_by_month`), the months are added up: no query."""
    keys = [q["key"] for q in questions] + list(MeetingFigure.MOODS)
    if monthly is None:
        r = checkin_sums(f, questions).get(0) or _empty(keys)
    else:
        r = _added(list(monthly.values()), keys)
    who = r["who"]
    per_question = []
    for q in questions:
        summed = r[q["key"]]
        answered = summed["answered"]
        n = min(answered, who)
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
    n = min(before["answered"], who)
    return {
        "answers": guard(before["answered"], n),
        "before": guard(_average(before), n),
        "after": guard(_average(after), n),
        "questions": per_question,
    }


def review_results(f: DashboardFilters) -> list[dict]:
    """Purpose reviews opened in the period: per objective, the share of each verdict."""
    latest = GoalReview.objects.filter(
        group_id__in=f.group_ids, opened_on__range=(f.start, f.end)
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
    """Suggestions made in the period by kind and status; withheld under the threshold."""
    rows = (
        Suggestion.objects.filter(group_id__in=f.group_ids, created_on__range=(f.start, f.end))
        .values("kind", "status")
        .annotate(c=Count("pk"))
    )
    found = {(r["kind"], r["status"]): r["c"] for r in rows}
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
    """Personal goals set in the period by the groups' members: only the share achieved.

    Guarded by the number of people with goals, not goals, so one member's many goals
    cannot pass the threshold alone. Group goals are the group's shared goals, already
    visible to its members; they are listed with how many progress notes the period saw.
    """
    members = Membership.objects.filter(
        group_id__in=f.group_ids, status__in=[ACTIVE, ON_BREAK]
    ).values("user")
    personal = PersonalGoal.objects.filter(
        owner__in=members, created_at__gte=f.start_at(), created_at__lt=f.end_before()
    ).aggregate(
        total=Count("pk"),
        achieved=Count("pk", filter=Q(achieved_on__isnull=False)),
        people=Count("owner", distinct=True),
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
            round(100 * personal["achieved"] / personal["total"]) if people else None,
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
    members = {
        r["group"]: r
        for r in Membership.objects.filter(group_id__in=ids)
        .values("group")
        .annotate(
            members=Count("pk", filter=Q(status__in=[ACTIVE, ON_BREAK])),
            new=Count("pk", filter=Q(joined_at__gte=f.start_at(), joined_at__lt=f.end_before())),
        )
    }
    came = {
        r["meeting__group"]: r
        for r in Attendance.objects.filter(held(f, ids))
        .values("meeting__group")
        .annotate(
            marked=Count("pk"),
            present=Count("pk", filter=Q(status=PRESENT)),
            people=Count("user", distinct=True),
        )
    }
    compared = compared_question(questions)
    key = compared["key"]
    # Only the compared question (and the moods): half the rows of all the questions.
    answers = checkin_sums(f, [compared], "group", ids)
    rows = []
    for group in groups:
        m = members.get(group.pk, {})
        a = came.get(group.pk, {})
        c = answers.get(group.pk) or _empty([key, *MeetingFigure.MOODS])
        marked = a.get("marked") or 0
        who = c["who"]
        n = min(c[MeetingFigure.MOOD_BEFORE]["answered"], who)
        rows.append(
            {
                "group": group,
                "members": count(m.get("members")),
                "new": count(m.get("new")),
                "attendance": guard(
                    round(100 * a["present"] / marked) if marked else None,
                    a.get("people"),
                    unit="%",
                    people=True,
                ),
                "rating": guard(_average(c[key]), min(c[key]["answered"], who)),
                "before": guard(_average(c[MeetingFigure.MOOD_BEFORE]), n),
                "after": guard(_average(c[MeetingFigure.MOOD_AFTER]), n),
            }
        )
    return rows
