"""Writes for the purpose and goals review: schedules, rounds, answers and their release."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from feedback import holding
from feedback.models import (
    GoalReview,
    GoalReviewReceipt,
    GoalReviewResponse,
    GoalReviewSchedule,
)
from feedback.services.anonymous import REVIEW, hold_answer, receipt_take, shuffled
from groups.models import Membership, PeerGroup
from members.models import User
from peersupport.errors import DomainError

REVIEW_OPEN_DAYS = 21


# --- Purpose and goals review -----------------------------------------------------------------
def _months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


@transaction.atomic
def review_schedule_set(
    *, group: PeerGroup, every_months: int, next_on: datetime.date, active: bool
) -> GoalReviewSchedule:
    if not 1 <= every_months <= 12:
        raise DomainError(_("Choose between one and twelve months."))
    schedule, _created = GoalReviewSchedule.objects.update_or_create(
        group=group,
        defaults={"every_months": every_months, "next_on": next_on, "active": active},
    )
    return schedule


def review_schedule_get(*, group: PeerGroup) -> GoalReviewSchedule:
    """The group's schedule, or the unsaved default: quarterly, starting in three months."""
    found = GoalReviewSchedule.objects.filter(group=group).first()
    return found or GoalReviewSchedule(
        group=group, every_months=3, next_on=_months_later(timezone.localdate(), 3)
    )


@transaction.atomic
def review_open_due(*, schedule_id: int, today: datetime.date | None = None) -> GoalReview | None:
    """Open a review round when due and invite the active members (once: the schedule
    moves forward in the same transaction, and the round is unique per group and day)."""
    today = today or timezone.localdate()
    schedule = (
        GoalReviewSchedule.objects.select_for_update()
        .select_related("group")
        .filter(pk=schedule_id, active=True, next_on__lte=today)
        .first()
    )
    if schedule is None or not schedule.group.objective_list:
        return None
    review = _review_open(group=schedule.group, today=today)
    schedule.next_on = _months_later(today, schedule.every_months)
    schedule.save(update_fields=["next_on"])
    return review


def _review_open(*, group: PeerGroup, today: datetime.date) -> GoalReview:
    """Open (or find today's) review round and invite the group's active members once."""
    from members.notifications import notify_many

    review, _created = GoalReview.objects.get_or_create(
        group=group,
        opened_on=today,
        defaults={
            "closes_on": today + datetime.timedelta(days=REVIEW_OPEN_DAYS),
            "objectives": group.objective_list,
        },
    )
    members = User.objects.filter(
        is_active=True,
        memberships__group=group,
        memberships__status=Membership.Status.ACTIVE,
    )
    review_url = settings.SITE_URL + review.get_absolute_url()
    notify_many(
        kind="goal_review",
        recipients=members,
        about=review,
        context={"group": group, "review_url": review_url},
    )
    return review


@transaction.atomic
def review_send_now(*, group: PeerGroup, by: User) -> GoalReview:
    """A facilitator opens a review round today instead of waiting for the schedule.

    Refused while a round is still open or when the group has no objectives to review;
    a saved schedule then counts its next round from today.
    """
    today = timezone.localdate()
    group = PeerGroup.objects.select_for_update().get(pk=group.pk)
    if not group.objective_list:
        raise DomainError(
            _("Write the group's objectives first (edit the group): the review asks about them.")
        )
    still_open = GoalReview.objects.filter(group=group, closes_on__gte=today).first()
    if still_open is not None:
        raise DomainError(
            _("A review is already open until %(day)s.")
            % {"day": date_format(still_open.closes_on, "DATE_FORMAT")}
        )
    review = _review_open(group=group, today=today)
    schedule = GoalReviewSchedule.objects.select_for_update().filter(group=group).first()
    if schedule is not None:
        schedule.next_on = _months_later(today, schedule.every_months)
        schedule.save(update_fields=["next_on"])
    return review


def review_closed_reason(*, review: GoalReview, member: User) -> str:
    if GoalReviewReceipt.objects.filter(review=review, member=member).exists():
        return _("You have already answered this review. Thank you!")
    if timezone.localdate() > review.closes_on or review.released:
        return _("This review has closed.")
    return ""


@transaction.atomic
def review_submit(
    *,
    review: GoalReview,
    member: User,
    verdicts: list[str],
    discussions: int,
    activities: int,
    what_to_change: str = "",
) -> None:
    """Anonymous like the check-in: the receipt now, the answer held until the round
    closes and is released (`review_release`)."""
    reason = review_closed_reason(review=review, member=member)
    if reason:
        raise DomainError(reason)
    if len(verdicts) != len(review.objectives) or any(
        v not in GoalReviewResponse.Verdict.values for v in verdicts
    ):
        raise DomainError(_("Please answer for every objective. Reload the page if it changed."))
    if not (1 <= discussions <= 5 and 1 <= activities <= 5):
        raise DomainError(_("Please choose from 1 to 5."))
    receipt_take(
        GoalReviewReceipt,
        review=review,
        member=member,
        already=_("You have already answered this review. Thank you!"),
    )
    hold_answer(
        REVIEW,
        review.pk,
        {
            "verdicts": verdicts,
            "discussions": discussions,
            "activities": activities,
            "what_to_change": what_to_change.strip(),
        },
    )


def reviews_open_due(*, today: datetime.date | None = None, batch: int = 200) -> int:
    """Beat: open every due review. Each schedule moves forward as it opens, so a rerun
    (or an overlapping run, thanks to the row lock) opens nothing twice."""
    today = today or timezone.localdate()
    due = list(
        GoalReviewSchedule.objects.filter(active=True, next_on__lte=today).values_list(
            "pk", flat=True
        )[:batch]
    )
    return sum(1 for pk in due if review_open_due(schedule_id=pk, today=today))


def review_release(*, review_id: int) -> int:
    """The review round's held answers, shuffled, in one transaction with `released`."""
    with transaction.atomic():
        review = GoalReview.objects.select_for_update().filter(pk=review_id).first()
        if review is None or review.released:
            written = None
        else:
            answers = shuffled(holding.held(REVIEW, review_id))
            GoalReviewResponse.objects.bulk_create(
                [GoalReviewResponse(review_id=review_id, **a) for a in answers]
            )
            review.released = True
            review.save(update_fields=["released"])  # its signal renews the dashboards
            written = len(answers)
    holding.discard(REVIEW, review_id)
    return written or 0


def review_release_due(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    due = GoalReview.objects.filter(released=False, closes_on__lt=today).values_list(
        "pk", flat=True
    )
    return sum(review_release(review_id=pk) for pk in list(due))
