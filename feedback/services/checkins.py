"""Writes for check-in surveys, the in-meeting check-out and the organisation's questions.

Anonymous answers go to the holding place (feedback/holding.py, which says why that makes
them unlinkable) and reach the database only when their survey closes, in a shuffled
batch written in one transaction (the `*_release` functions, run by beat).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback import holding
from feedback.models import (
    DEFAULT_QUESTIONS,
    CheckinReceipt,
    CheckinResponse,
    CheckoutOpening,
    QuestionSet,
    SurveyRelease,
)
from feedback.selectors import checkin_not_yet_open_message, checkin_opens_at
from feedback.services.anonymous import CHECKIN, hold_answer, receipt_take, shuffled
from groups.models import Membership, Organisation
from members.models import User
from peersupport.errors import DomainError
from sessions.models import Attendance, Meeting, Rsvp

CHECKIN_WINDOW = datetime.timedelta(days=7)
# Released this long after the window closed: a submit that passed its checks just before
# the close has long finished writing to the holding place by then.
RELEASE_MARGIN = datetime.timedelta(hours=1)


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
    receipt_take(
        CheckinReceipt,
        meeting=meeting,
        member=member,
        already=_("You have already answered for this meeting. Thank you!"),
    )
    comment = comment.strip()
    hold_answer(
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


# --- Release: a closed survey's answers, written all at once in random order ----------------
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
            answers = shuffled(holding.held(CHECKIN, meeting_id))
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
