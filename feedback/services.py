"""Writes for check-in surveys, the in-meeting check-out, suggestions and purpose reviews.

Anonymous answers go to the holding place (feedback/holding.py, which says why that makes
them unlinkable) and reach the database only when their survey closes, in a shuffled
batch written in one transaction (the `*_release` functions, run by beat).
"""

from __future__ import annotations

import datetime
import logging
import random
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from feedback import holding
from feedback.models import (
    DEFAULT_QUESTIONS,
    CheckinReceipt,
    CheckinResponse,
    CheckoutOpening,
    GoalReview,
    GoalReviewReceipt,
    GoalReviewResponse,
    GoalReviewSchedule,
    QuestionSet,
    Suggestion,
    SuggestionSupport,
    SurveyRelease,
)
from feedback.selectors import checkin_not_yet_open_message, checkin_opens_at
from groups.models import Membership, Organisation, PeerGroup
from members.models import User
from peersupport.errors import DomainError
from sessions.models import Attendance, Meeting, Rsvp

log = logging.getLogger(__name__)

CHECKIN_WINDOW = datetime.timedelta(days=7)
# Released this long after the window closed: a submit that passed its checks just before
# the close has long finished writing to the holding place by then.
RELEASE_MARGIN = datetime.timedelta(hours=1)
CHECKIN, REVIEW, SUGGESTION = "checkin", "review", "suggestion"
REVIEW_OPEN_DAYS = 21


# --- Question sets ------------------------------------------------------------------------
def question_set_current(*, organisation: Organisation | int) -> QuestionSet:
    """The organisation's newest question set; the defaults become version 1 on first use."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    found = QuestionSet.objects.filter(organisation_id=org_id).order_by("-version").first()
    if found:
        return found
    try:
        with transaction.atomic():
            return QuestionSet.objects.create(
                organisation_id=org_id, version=1, questions=DEFAULT_QUESTIONS
            )
    except IntegrityError:  # created meanwhile by a concurrent request
        return QuestionSet.objects.get(organisation_id=org_id, version=1)


@transaction.atomic
def question_set_update(*, organisation: Organisation, texts: list[str]) -> QuestionSet:
    """Save new question texts as the next version; earlier answers keep their version."""
    texts = [t.strip() for t in texts if t.strip()]
    if not 1 <= len(texts) <= 8:
        raise DomainError(_("A check-in needs between one and eight questions."))
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    question_set_current(organisation=organisation)  # the defaults stay version 1
    last = QuestionSet.objects.filter(organisation=organisation).aggregate(v=Max("version"))["v"]
    questions = [{"key": f"q{i + 1}", "text": text} for i, text in enumerate(texts)]
    return QuestionSet.objects.create(
        organisation=organisation, version=(last or 0) + 1, questions=questions
    )


# --- Check-in survey ------------------------------------------------------------------------
def checkin_closed_reason(
    *, meeting: Meeting, member: User, now: datetime.datetime | None = None
) -> str:
    """Why this person can't answer now ("" when they can). Written for the person."""
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting was cancelled, so there is no survey for it.")
    if CheckinReceipt.objects.filter(meeting=meeting, member=member).exists():
        return _("You have already answered for this meeting. Thank you!")
    mark = (
        Attendance.objects.filter(meeting=meeting, user=member)
        .values_list("status", flat=True)
        .first()
    )
    checkout_open = CheckoutOpening.objects.filter(meeting=meeting).exists()
    # In the room, attendance is often marked afterwards: an open check-out lets in
    # active members not marked absent or excused.
    in_room = (
        checkout_open
        and mark is None
        and Membership.objects.filter(
            group_id=meeting.group_id, user=member, status=Membership.Status.ACTIVE
        ).exists()
    )
    if mark != Attendance.Status.PRESENT and not in_room:
        return _("This survey is for the people who came to this meeting.")
    if now < checkin_opens_at(meeting, checkout_open=checkout_open):
        return checkin_not_yet_open_message(meeting, checkout_open=checkout_open)
    released = SurveyRelease.objects.filter(meeting=meeting).exists()
    if now > meeting.ends_at + CHECKIN_WINDOW or released:
        return _("The survey for this meeting closed seven days after it ended.")
    return ""


@transaction.atomic
def checkin_submit(
    *,
    meeting: Meeting,
    member: User,
    version: int,
    ratings: dict[str, int],
    mood_before: int,
    mood_after: int,
    comment: str = "",
    sign_comment: bool = False,
) -> None:
    """Write the receipt that says "answered" and hold the answer, with no author, until
    the survey closes (holding.py). The receipt goes first: a second submit (even a
    concurrent one) waits on its unique index, fails, and rolls back before any second
    answer is held. If the holding place fails, the receipt is rolled back with it.
    """
    reason = checkin_closed_reason(meeting=meeting, member=member)
    if reason:
        raise DomainError(reason)
    question_set = question_set_current(organisation=meeting.group.organisation_id)
    if version != question_set.version:
        raise DomainError(
            _("The questions changed while you were answering. Please reload the page.")
        )
    keys = [q["key"] for q in question_set.questions]
    if sorted(ratings) != sorted(keys) or any(not 0 <= ratings[k] <= 10 for k in keys):
        raise DomainError(_("Please answer every question with a number from 0 to 10."))
    if not (1 <= mood_before <= 5 and 1 <= mood_after <= 5):
        raise DomainError(_("Please choose your mood from 1 to 5."))
    try:
        with transaction.atomic():
            CheckinReceipt.objects.create(meeting=meeting, member=member)
    except IntegrityError:
        raise DomainError(_("You have already answered for this meeting. Thank you!")) from None
    comment = comment.strip()
    _hold(
        CHECKIN,
        meeting.pk,
        {
            "question_set": question_set.pk,
            "ratings": {k: ratings[k] for k in keys},
            "mood_before": mood_before,
            "mood_after": mood_after,
            "comment": comment,
            "comment_signed_as": member.display_name if (comment and sign_comment) else "",
        },
    )


def _hold(kind: str, survey: int, answer: dict) -> None:
    try:
        holding.hold(kind, survey, answer)
    except Exception:  # any failure of Redis: nothing may be half-saved
        log.exception("The holding place refused an answer of a %s survey.", kind)
        raise DomainError(
            _("Your answers could not be saved just now. Please try again in a minute.")
        ) from None


@transaction.atomic
def checkout_open(*, meeting: Meeting, by: User) -> CheckoutOpening:
    """Open the survey in the meeting for everyone present. Opening twice changes nothing."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(_("This meeting was cancelled."))
    if timezone.now() > meeting.ends_at + CHECKIN_WINDOW:
        raise DomainError(_("The survey for this meeting has closed."))
    opening, _created = CheckoutOpening.objects.get_or_create(
        meeting=meeting, defaults={"opened_by": by}
    )
    return opening


# --- Suggestion box -------------------------------------------------------------------------
@transaction.atomic
def suggestion_add(
    *, group: PeerGroup, author: User, kind: str, text: str, anonymous: bool
) -> Suggestion | None:
    """Signed suggestions are saved at once. Anonymous ones keep no author and wait in the
    holding place until the next release (`suggestions_release`), so neither their
    transaction nor their id nor their date lines up with anything the author did;
    returns None for them."""
    text = text.strip()
    if not text:
        raise DomainError(_("Please write your suggestion."))
    if kind not in Suggestion.Kind.values:
        raise DomainError(_("Please choose what kind of suggestion this is."))
    if anonymous:
        _hold(SUGGESTION, group.pk, {"kind": kind, "text": text})
        return None
    return Suggestion.objects.create(group=group, kind=kind, text=text, author=author)


@transaction.atomic
def suggestion_support(*, suggestion: Suggestion, member: User) -> bool:
    """One vote per member: True when counted now, False when it already was."""
    try:
        with transaction.atomic():
            SuggestionSupport.objects.create(suggestion=suggestion, member=member)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def suggestion_respond(*, suggestion: Suggestion, status: str, reply: str) -> Suggestion:
    if status not in Suggestion.Status.values:
        raise DomainError(_("Please choose planned, done or declined."))
    suggestion.status = status
    suggestion.reply = reply.strip()[:500]
    suggestion.save(update_fields=["status", "reply"])
    return suggestion


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
    try:
        with transaction.atomic():
            GoalReviewReceipt.objects.create(review=review, member=member)
    except IntegrityError:
        raise DomainError(_("You have already answered this review. Thank you!")) from None
    _hold(
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


# --- Release: a closed survey's answers, written all at once in random order ----------------
def _shuffled(answers: list[dict]) -> list[dict]:
    random.SystemRandom().shuffle(answers)
    return answers


def checkin_release(*, meeting_id: int) -> int:
    """Write a closed survey's held answers in one transaction, shuffled, with random
    UUID keys and the meeting's date only; freeze what the dashboards show of the
    meeting (`SurveyRelease`) and sum it (`MeetingFigure`) in the same transaction.
    Returns how many answers were written; a rerun writes nothing and clears Redis."""
    from feedback.dashboard import figures

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
        if meeting is None or SurveyRelease.objects.filter(meeting_id=meeting_id).exists():
            written = None
        else:
            day = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.time_zone)).date()
            answers = _shuffled(holding.held(CHECKIN, meeting_id))
            CheckinResponse.objects.bulk_create(
                [
                    CheckinResponse(
                        meeting_id=meeting_id,
                        question_set_id=a["question_set"],
                        meeting_date=day,
                        ratings=a["ratings"],
                        mood_before=a["mood_before"],
                        mood_after=a["mood_after"],
                        comment=a["comment"],
                        comment_signed_as=a["comment_signed_as"],
                    )
                    for a in answers
                ]
            )
            written = len(answers)
            SurveyRelease.objects.create(
                meeting=meeting,
                # Answers written before the holding place existed are in the table already.
                answerers=CheckinResponse.objects.filter(meeting_id=meeting_id).count(),
                going=Rsvp.objects.filter(meeting_id=meeting_id, status=Rsvp.Status.GOING).count(),
                present=Attendance.objects.filter(
                    meeting_id=meeting_id, status=Attendance.Status.PRESENT
                ).count(),
            )
            figures.refresh([meeting_id])
    # Only once the answers are safely written; a crash before leaves them for the rerun.
    holding.discard(CHECKIN, meeting_id)
    return written or 0


def checkin_release_due(*, now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Beat: release every meeting whose survey window closed (cancelled ones included:
    they have no answers, and releasing them keeps the list of unreleased ones short)."""
    now = now or timezone.now()
    closed_before = now - CHECKIN_WINDOW - RELEASE_MARGIN
    due = list(
        Meeting.objects.filter(ends_at__lt=closed_before)
        .exclude(pk__in=SurveyRelease.objects.values("meeting_id"))
        .order_by("ends_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(checkin_release(meeting_id=pk) for pk in due)


def review_release(*, review_id: int) -> int:
    """The review round's held answers, shuffled, in one transaction with `released`."""
    with transaction.atomic():
        review = GoalReview.objects.select_for_update().filter(pk=review_id).first()
        if review is None or review.released:
            written = None
        else:
            answers = _shuffled(holding.held(REVIEW, review_id))
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


def suggestions_release(*, group_id: int, today: datetime.date | None = None) -> int:
    """A group's held anonymous suggestions, shuffled, in one transaction, dated today.

    The held ones are taken and removed from Redis in one step first (a rerun must not
    write them twice); if the database write then fails they are put back.
    """
    from feedback.dashboard import cache as dashboard_cache

    today = today or timezone.localdate()
    answers = _shuffled(holding.take(SUGGESTION, group_id))
    if not answers or not PeerGroup.objects.filter(pk=group_id).exists():
        return 0
    try:
        with transaction.atomic():
            Suggestion.objects.bulk_create(
                [
                    Suggestion(group_id=group_id, kind=a["kind"], text=a["text"], created_on=today)
                    for a in answers
                ]
            )
            dashboard_cache.renew(
                PeerGroup.objects.filter(pk=group_id).values_list("organisation_id", flat=True)
            )
    except Exception:
        for a in answers:
            holding.hold(SUGGESTION, group_id, a)
        raise
    return len(answers)


def suggestions_release_due() -> int:
    return sum(suggestions_release(group_id=pk) for pk in holding.surveys(SUGGESTION))
