"""Reads for feedback pages. Aggregates of anonymous answers obey the small-number rule."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.dashboard.protection import enough
from feedback.models import (
    CheckoutOpening,
    GoalReview,
    GoalReviewResponse,
    Suggestion,
    SuggestionSupport,
)
from groups.models import PeerGroup
from sessions.models import Meeting


def checkout_is_open(meeting: Meeting) -> bool:
    return CheckoutOpening.objects.filter(meeting=meeting).exists()


def checkin_opens_at(meeting: Meeting, *, checkout_open: bool) -> datetime.datetime:
    """THE rule for when the check-in survey opens to people present: at the meeting's
    start once the facilitator has opened the check-out in the room, else at its end.

    The survey page (`services.checkin_closed_reason`) and the facilitator's check-out
    page both read it, so what each is told agrees.
    """
    return meeting.starts_at if checkout_open else meeting.ends_at


def checkin_not_yet_open_message(meeting: Meeting, *, checkout_open: bool) -> str:
    """What someone present is told before the survey opens."""
    if checkout_open:
        return _("The survey opens when the meeting starts.")
    return _("The survey opens when the meeting ends.")


def checkout_open_message(meeting: Meeting, *, now: datetime.datetime | None = None) -> str:
    """What the facilitator is told about an open check-out (same rule as the survey)."""
    if (now or timezone.now()) < checkin_opens_at(meeting, checkout_open=True):
        return _(
            "The check-out is open. Everyone present can answer from the moment the meeting "
            "starts; until then the survey tells them it opens when the meeting starts."
        )
    return _("The check-out is open for everyone present.")


def suggestions_for(*, group: PeerGroup, viewer) -> QuerySet[Suggestion]:
    """The group's suggestions with support counts and whether the viewer supports each."""
    return (
        Suggestion.objects.filter(group=group)
        .select_related("author")
        .annotate(
            support_count=Count("supports", distinct=True),
            supported=Exists(
                SuggestionSupport.objects.filter(suggestion=OuterRef("pk"), member=viewer)
            ),
        )
        .order_by("status", "-support_count", "-created_on", "-pk")
    )


def review_results(review: GoalReview) -> dict:
    """Per-objective counts and average satisfactions, or `enough=False` under the
    dashboards' small-number threshold (one rule: `protection.enough()`). Nothing
    until the round closed and its answers were released, all together."""
    if not review.released:
        return {"enough": False, "count": None, "pending": True}
    answers = GoalReviewResponse.objects.filter(review=review)
    verdicts = GoalReviewResponse.Verdict.values
    figures = {"n": Count("pk"), "discussions": Avg("discussions"), "activities": Avg("activities")}
    for i in range(len(review.objectives)):
        for v in verdicts:
            figures[f"o{i}_{v}"] = Count("pk", filter=Q(**{f"verdicts__{i}": v}))
    r = answers.aggregate(**figures)
    if not enough(r["n"]):
        return {"enough": False, "count": r["n"]}
    return {
        "enough": True,
        "count": r["n"],
        "objectives": [
            {"text": text, **{v: r[f"o{i}_{v}"] for v in verdicts}}
            for i, text in enumerate(review.objectives)
        ],
        "discussions": round(r["discussions"], 1),
        "activities": round(r["activities"], 1),
        "changes": list(
            answers.exclude(what_to_change="")
            .order_by("pk")
            .values_list("what_to_change", flat=True)
        ),
    }
