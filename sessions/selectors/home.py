"""What the home page shows of meetings: a member's next meetings with their answer, and
what the people who run groups still have to do before or after a meeting."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from groups import selectors as group_selectors
from groups.models import Membership
from sessions import selectors
from sessions.models import Attendance, Meeting, Rsvp
from sessions.selectors.rsvp import MEETING_LIST_FIELDS, rsvp_blocker


def _blocker_message(user, meeting: Meeting) -> str:
    blocker = rsvp_blocker(user, meeting)
    return blocker.message if blocker else ""


HOME_MEETINGS = 6  # the next few; the calendar page lists more
CALENDAR_MEETINGS = 50
ATTENDANCE_DAYS = 7  # attendance is asked for meetings held in the last week
SOON_DAYS = 14  # agendas and roles are asked for meetings in the next two weeks

# The columns a list of meetings shows: never the place or link (those stay on the
# meeting page, behind `can_see_meeting_location`).
LIST_FIELDS = (
    *MEETING_LIST_FIELDS,
    "status",
    "rsvp_closes_hours_before",
    "group__id",
    "group__slug",
    "group__name",
    "group__organisation_id",
)


@dataclass(frozen=True)
class UpcomingMeeting:
    """One of a member's next meetings: their answer and whether they can answer now."""

    meeting: Meeting
    rsvp: Rsvp | None
    blocked_message: str  # why they can't RSVP now; "" when they can

    @property
    def can_rsvp(self) -> bool:
        return not self.blocked_message

    @property
    def is_going(self) -> bool:
        return self.rsvp is not None and self.rsvp.status == Rsvp.Status.GOING

    @property
    def is_waitlisted(self) -> bool:
        return self.rsvp is not None and self.rsvp.status == Rsvp.Status.WAITLISTED

    @property
    def is_not_going(self) -> bool:
        return self.rsvp is not None and self.rsvp.status == Rsvp.Status.NOT_GOING


def member_group_ids(user) -> list[int]:
    """The groups whose meetings a member is offered: those they take part in now
    (active, facilitators included; not on a break, not waiting for approval)."""
    return [
        gid
        for gid, m in group_selectors.memberships_of(user).items()
        if m.status == Membership.Status.ACTIVE
    ]


def member_upcoming_meetings(user, *, limit: int = HOME_MEETINGS) -> list[UpcomingMeeting]:
    """The next scheduled meetings of the member's groups, answered or not, soonest first.

    Two queries whatever the number of groups or meetings (the memberships, roles and
    signatures the RSVP rule reads are the permission layer's cached rows).
    """
    group_ids = member_group_ids(user)
    if not group_ids:
        return []
    meetings = list(
        Meeting.objects.open()
        .filter(group_id__in=group_ids)
        .select_related("group")
        .only(*LIST_FIELDS)
        .order_by("starts_at", "pk")[:limit]
    )
    if not meetings:
        return []
    answers = {r.meeting_id: r for r in Rsvp.objects.filter(user=user, meeting__in=meetings)}
    return [
        UpcomingMeeting(
            meeting=meeting,
            rsvp=answers.get(meeting.pk),
            blocked_message=_blocker_message(user, meeting),
        )
        for meeting in meetings
    ]


@dataclass
class FacilitatorTodo:
    """What needs the people who run groups: meetings without an agenda or with roles
    nobody took (next two weeks) and held meetings whose attendance nobody took."""

    unprepared: list[Meeting]
    attendance_due: list[Meeting]

    def __bool__(self) -> bool:
        return bool(self.unprepared or self.attendance_due)


def facilitated_group_ids(user) -> list[int]:
    return [gid for gid, m in group_selectors.memberships_of(user).items() if m.is_facilitator]


def facilitator_todo(user, *, now: datetime.datetime | None = None) -> FacilitatorTodo:
    """Of the groups the person facilitates; four queries whatever their number."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=SOON_DAYS)
    group_ids = set(facilitated_group_ids(user))
    unprepared = [
        m
        for m in selectors.facilitator_upcoming_meetings(user, limit=10)
        if m.group_id in group_ids
        and now <= m.starts_at <= soon
        and (not m.agenda_count or m.unfilled_roles)
    ]
    marked = Attendance.objects.filter(meeting=OuterRef("pk"))
    attendance_due = list(
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(
            group_id__in=group_ids,
            starts_at__lte=now,
            starts_at__gte=now - datetime.timedelta(days=ATTENDANCE_DAYS),
        )
        .filter(~Exists(marked))
        .select_related("group")
        .only(*LIST_FIELDS)
        .order_by("-starts_at", "pk")[:10]
    )
    return FacilitatorTodo(unprepared=unprepared, attendance_due=attendance_due)


def home_meetings_part(user) -> dict | None:
    """The home page's "Your next meetings" (shown to every member of a group)."""
    if not member_group_ids(user):
        return None
    return {"upcoming": member_upcoming_meetings(user)}


def home_facilitator_part(user) -> dict | None:
    """What needs a facilitator before and after their meetings."""
    if not facilitated_group_ids(user):
        return None
    groups = sorted(
        (m.group for m in group_selectors.memberships_of(user).values() if m.is_facilitator),
        key=lambda g: (g.name.casefold(), g.pk),
    )
    return {"todo": facilitator_todo(user), "groups": groups}


def group_upcoming_meetings(group, *, limit: int = 5) -> list[Meeting]:
    """A group's next scheduled meetings for its pages (one query; no place or link)."""
    return list(
        Meeting.objects.open()
        .filter(group=group)
        .select_related("group")
        .only(*LIST_FIELDS)
        .order_by("starts_at", "pk")[:limit]
    )
