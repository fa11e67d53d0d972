"""Reads for feedback pages. Aggregates of anonymous answers obey the small-number rule."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from feedback.models import (
    CheckinResponse,
    CheckoutOpening,
    GoalReview,
    GoalReviewResponse,
    Suggestion,
    SuggestionSupport,
)
from groups.models import PeerGroup
from sessions.models import Meeting

# No figure from fewer answers than this is shown, so nobody can be singled out.
MIN_RESPONSES = 5


def meeting_for_feedback(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("group"), pk=pk)


def group_for_feedback(slug: str) -> PeerGroup:
    return get_object_or_404(PeerGroup.objects.select_related("organisation"), slug=slug)


def checkout_is_open(meeting: Meeting) -> bool:
    return CheckoutOpening.objects.filter(meeting=meeting).exists()


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
    """Per-objective counts and average satisfactions, or `enough=False` under the minimum."""
    responses = list(GoalReviewResponse.objects.filter(review=review))
    if len(responses) < MIN_RESPONSES:
        return {"enough": False, "count": len(responses)}
    objectives = []
    for index, text in enumerate(review.objectives):
        counts = dict.fromkeys(GoalReviewResponse.Verdict.values, 0)
        for response in responses:
            if index < len(response.verdicts):
                counts[response.verdicts[index]] += 1
        objectives.append({"text": text, **counts})
    return {
        "enough": True,
        "count": len(responses),
        "objectives": objectives,
        "discussions": round(sum(r.discussions for r in responses) / len(responses), 1),
        "activities": round(sum(r.activities for r in responses) / len(responses), 1),
        "changes": [r.what_to_change for r in responses if r.what_to_change],
    }


def checkin_summary(*, meetings) -> dict:
    """Averages of the check-in answers for these meetings (a group's period, for the
    dashboards): `enough=False` and no figures under MIN_RESPONSES answers. Ratings are
    averaged per question key across question-set versions that share the key."""
    responses = list(
        CheckinResponse.objects.filter(meeting__in=meetings).values_list(
            "ratings", "mood_before", "mood_after"
        )
    )
    if len(responses) < MIN_RESPONSES:
        return {"enough": False, "count": len(responses)}
    totals: dict[str, list[int]] = {}
    for ratings, _before, _after in responses:
        for key, value in ratings.items():
            totals.setdefault(key, []).append(value)
    ratings = {k: round(sum(v) / len(v), 1) for k, v in totals.items() if len(v) >= MIN_RESPONSES}
    count = len(responses)
    return {
        "enough": True,
        "count": count,
        "ratings": ratings,
        "mood_before": round(sum(r[1] for r in responses) / count, 1),
        "mood_after": round(sum(r[2] for r in responses) / count, 1),
    }
