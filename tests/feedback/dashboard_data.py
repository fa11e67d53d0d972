"""Builders for the dashboard tests: a group with people, past meetings, RSVPs, attendance
and anonymous check-in answers, written with bulk inserts so big cases stay quick, each
meeting's survey released as beat would once its window closed; and `close_months`, which
counts the months as beat would a few weeks from now."""

from __future__ import annotations

import datetime

from django.utils import timezone

from feedback import services
from feedback.dashboard import units
from feedback.models import CheckinReceipt, CheckinResponse
from feedback.services import question_set_current
from sessions.models import Attendance, Rsvp
from tests.factories import MeetingFactory, MembershipFactory, UserFactory

RATINGS = {"heard": 8, "mattered": 7, "method": 6, "overall": 9}


def people_in(group, n: int, *, joined_days_ago: int = 1, status: str = "active") -> list:
    joined = timezone.now() - datetime.timedelta(days=joined_days_ago)
    users = []
    for _ in range(n):
        user = UserFactory(verified=False)
        MembershipFactory(group=group, user=user, status=status, joined_at=joined)
        users.append(user)
    return users


def past_meeting(group, *, days_ago: int, fmt: str | None = None):
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return MeetingFactory(
        group=group,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        format=fmt or group.format,
        status="completed",
    )


def held(group, people: list, *, days_ago: int, answers: int | None = None, fmt=None):
    """A past meeting everyone in `people` said going to and came to; `answers` check-ins."""
    meeting = past_meeting(group, days_ago=days_ago, fmt=fmt)
    Rsvp.objects.bulk_create(
        [Rsvp(meeting=meeting, user=u, status=Rsvp.Status.GOING) for u in people]
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user=u, status="present") for u in people]
    )
    # Answers carry no person; the receipts say who answered (here the first `answers`).
    n = len(people) if answers is None else answers
    CheckinReceipt.objects.bulk_create(
        [CheckinReceipt(meeting=meeting, member=u) for u in people[:n]]
    )
    question_set = question_set_current(organisation=group.organisation_id)
    CheckinResponse.objects.bulk_create(
        [
            CheckinResponse(
                meeting=meeting,
                question_set=question_set,
                meeting_date=timezone.localtime(meeting.starts_at).date(),
                ratings=RATINGS,
                mood_before=2,
                mood_after=4,
            )
            for _ in range(n)
        ]
    )
    services.checkin_release(meeting_id=meeting.pk)
    return meeting


def close_months(*, weeks_later: int = 6) -> int:
    """Count every month that will be over `weeks_later` weeks from now (this one too)."""
    return units.months_close_due(now=timezone.now() + datetime.timedelta(weeks=weeks_later))
