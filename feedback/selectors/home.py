"""What the home page shows of feedback: check-in surveys and purpose reviews waiting for
the member's answer. The rules are the survey's and the review's own (`selectors.
checkin_opens_at`, `services.CHECKIN_WINDOW`, the review's closing day), as queries."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from feedback.models import CheckinReceipt, CheckoutOpening, GoalReview, GoalReviewReceipt
from feedback.services import CHECKIN_WINDOW
from groups import selectors as group_selectors
from groups.models import Membership
from sessions.models import Attendance, Meeting


def _active_group_ids(user) -> list[int]:
    return [
        gid
        for gid, m in group_selectors.memberships_of(user).items()
        if m.status == Membership.Status.ACTIVE
    ]


def checkins_waiting(user, *, now: datetime.datetime | None = None) -> list[Meeting]:
    """Meetings whose survey this member may answer now and has not (one query).

    Present (or, once the check-out is open in the room, not marked at all), from
    `checkin_opens_at` (the start with the check-out open, else the end) until seven days
    after the end, never cancelled, never already answered.
    """
    group_ids = _active_group_ids(user)
    if not group_ids:
        return []
    now = now or timezone.now()
    mine = Attendance.objects.filter(meeting=OuterRef("pk"), user=user)
    present = Exists(mine.filter(status=Attendance.Status.PRESENT))
    checkout = Exists(CheckoutOpening.objects.filter(meeting=OuterRef("pk")))
    answered = Exists(CheckinReceipt.objects.filter(meeting=OuterRef("pk"), member=user))
    in_room = Q(checkout) & (present | ~Exists(mine)) & Q(starts_at__lte=now)
    afterwards = ~Q(checkout) & Q(present) & Q(ends_at__lte=now)
    return list(
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(group_id__in=group_ids, ends_at__gte=now - CHECKIN_WINDOW)
        .filter(in_room | afterwards)
        .filter(~answered)
        .select_related("group")
        .only("id", "starts_at", "ends_at", "time_zone", "group__id", "group__name")
        .order_by("-starts_at", "pk")[:10]
    )


def reviews_waiting(user, *, today: datetime.date | None = None) -> list[GoalReview]:
    """Purpose reviews open in the member's groups that they have not answered (one query)."""
    group_ids = _active_group_ids(user)
    if not group_ids:
        return []
    today = today or timezone.localdate()
    answered = Exists(GoalReviewReceipt.objects.filter(review=OuterRef("pk"), member=user))
    return list(
        GoalReview.objects.filter(
            group_id__in=group_ids, opened_on__lte=today, closes_on__gte=today
        )
        .filter(~answered)
        .select_related("group")
        .only("id", "opened_on", "closes_on", "group__id", "group__name")
        .order_by("closes_on", "pk")[:10]
    )


def home_waiting_part(user) -> dict | None:
    """Surveys and reviews waiting for the member's answer (two queries, none without
    a group)."""
    checkins, reviews = checkins_waiting(user), reviews_waiting(user)
    if not checkins and not reviews:
        return None
    return {"checkins": checkins, "reviews": reviews}
