"""Attendance: facilitators mark present / absent / excused; members' own statements.

`attendance_mark` is the one write for attendance: the attendance page and the live view's
check-in both go through it.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership, Organisation
from members.models import User
from peersupport.errors import DomainError
from sessions.models import Attendance, AttendanceStatement, Meeting, Rsvp
from sessions.services.calendar import zone_of

# How long a statement's link verifies: long enough for an employer or a court to check,
# short enough that a link passed on does not vouch for the member for ever.
STATEMENT_LIFETIME = datetime.timedelta(days=180)
MAX_STATEMENT_DAYS = 366 * 5


def attendance_people(meeting: Meeting):
    """Who can be marked: members taking part in the group, and anyone who RSVP'd."""

    in_group = Membership.objects.taking_part().filter(group_id=meeting.group_id).values("user_id")
    answered = Rsvp.objects.filter(meeting=meeting).exclude(status=Rsvp.Status.NOT_GOING)
    return User.objects.filter(
        Q(pk__in=in_group) | Q(pk__in=answered.values("user_id")), is_active=True
    ).order_by("display_name", "pk")


@transaction.atomic
def attendance_mark(*, meeting: Meeting, member, status: str, by) -> Attendance:
    """Record whether someone came. Excused may be set ahead; present/absent only once the
    meeting has started (a record never counts a meeting that has not happened). Marking
    again replaces the earlier mark."""
    if status not in Attendance.Status.values:
        raise DomainError(_("Choose present, absent or excused."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(_("This meeting was cancelled, so there is no attendance to take."))
    if meeting.starts_at > timezone.now() and status != Attendance.Status.EXCUSED:
        raise DomainError(
            _("Attendance can be taken once the meeting has started; you can excuse people now.")
        )
    if not attendance_people(meeting).filter(pk=member.pk).exists():
        raise DomainError(_("Only members of the group can be marked."))
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        user=member,
        defaults={"status": status, "marked_by": by, "marked_at": timezone.now()},
    )
    return attendance


@transaction.atomic
def attendance_unmark(*, meeting: Meeting, member) -> None:
    """Take a mark back (e.g. checked in by mistake)."""
    Attendance.objects.filter(meeting=meeting, user=member).delete()


# --- A member's own attendance statement ------------------------------------------------
def _statement_facts(
    *, user, organisation: Organisation, start: datetime.date, end: datetime.date, groups: bool
) -> dict:
    rows = (
        Attendance.objects.filter(
            user=user,
            status=Attendance.Status.PRESENT,
            meeting__group__organisation=organisation,
            meeting__starts_at__date__gte=start,
            meeting__starts_at__date__lte=end,
            # Only meetings that have happened, whatever was marked.
            meeting__starts_at__lte=timezone.now(),
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting__group")
        .order_by("meeting__starts_at")
    )
    meetings = []
    for row in rows:
        meeting = row.meeting
        # The date as the group lived it, in the meeting's own zone.
        local = meeting.starts_at.astimezone(zone_of(meeting.time_zone))
        item = {"date": local.date().isoformat(), "minutes": meeting.duration_minutes}
        if groups:
            item["group"] = meeting.group.name
            item["topic"] = meeting.topic
        meetings.append(item)
    return {
        "name": user.full_name or user.display_name,
        "organisation": organisation.name,
        "meetings": meetings,
        "total_minutes": sum(item["minutes"] for item in meetings),
    }


@transaction.atomic
def attendance_statement_issue(
    *,
    user,
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    include_group: bool = False,
) -> AttendanceStatement:
    """Freeze the facts for the period; the group's name and topic only if the member asks."""
    if end < start:
        raise DomainError(_("The end of the period must be on or after its start."))
    if (end - start).days > MAX_STATEMENT_DAYS:
        raise DomainError(_("Choose a period of at most five years."))
    if end > timezone.localdate():
        end = timezone.localdate()
    facts = _statement_facts(
        user=user, organisation=organisation, start=start, end=end, groups=include_group
    )
    return AttendanceStatement.objects.create(
        user=user,
        organisation=organisation,
        period_start=start,
        period_end=end,
        include_group=include_group,
        facts=facts,
        expires_at=timezone.now() + STATEMENT_LIFETIME,
    )


def attendance_statement_token(statement: AttendanceStatement) -> str:
    """The verification link's key: the statement's random public id."""
    return statement.public_id


def attendance_statement_load(token: str) -> AttendanceStatement | None:
    """The statement a link shows, while it is neither expired nor revoked."""
    return (
        AttendanceStatement.objects.filter(
            public_id=token[:64], revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("organisation")
        .first()
    )


def attendance_statement_revoke(*, user, token: str) -> AttendanceStatement:
    """The owner withdraws a statement: its link stops verifying at once."""
    statement = AttendanceStatement.objects.filter(
        public_id=token[:64], user=user, revoked_at__isnull=True
    ).first()
    if statement is None:
        raise DomainError(_("That record was not found or is already withdrawn."))
    statement.revoked_at = timezone.now()
    statement.save(update_fields=["revoked_at"])
    return statement


def attendance_statements_of(user):
    """A member's statements that still verify, newest first."""
    return AttendanceStatement.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("organisation")
