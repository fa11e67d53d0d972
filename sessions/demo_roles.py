"""Demo roles for `manage.py seed_demo`: willing members, past turns, next meetings' roles.

Runs after the demo meetings exist. Safe to rerun: willingness is created once, and a
group that already has roles is left alone. The dashboards' demo groups get their past
meetings later (feedback/demo.py), which calls this again for them. Roles are written
directly: no emails.
"""

from __future__ import annotations

from django.utils import timezone

from groups.models import Membership, PeerGroup
from sessions.models import Meeting, MeetingRole, RoleWillingness
from sessions.selectors.roles import role_rows

# Most members offer to keep time or take notes; fewer lead the check-in or facilitate.
_OFFERS = [
    MeetingRole.Role.TIMEKEEPER,
    MeetingRole.Role.NOTE_TAKER,
    MeetingRole.Role.CHECKIN_LEAD,
]
PAST_WITH_ROLES = 6
UPCOMING_WITH_ROLES = 2


def _offer(group: PeerGroup) -> None:
    members = Membership.objects.filter(group=group, status=Membership.Status.ACTIVE).order_by("pk")
    for index, membership in enumerate(members):
        roles = _OFFERS[: 1 + index % len(_OFFERS)]
        for role in roles:
            RoleWillingness.objects.get_or_create(group=group, user=membership.user, role=role)


def _fill(meeting: Meeting) -> int:
    """Give each role the suggested person, as a facilitator confirming would."""
    if meeting.roles.exists():
        return 0
    made = 0
    for row in role_rows(meeting=meeting):
        if row.suggestion is None:
            continue
        MeetingRole.objects.create(
            meeting=meeting,
            role=row.role,
            user=row.suggestion.user,
            assigned_by=meeting.facilitator,
        )
        made += 1
    return made


def seed(out) -> None:
    made = 0
    for group in PeerGroup.objects.filter(meetings__isnull=False).distinct().order_by("name"):
        if MeetingRole.objects.filter(meeting__group=group).exists():
            continue
        _offer(group)
        meetings = Meeting.objects.filter(group=group, status__in=["scheduled", "completed"])
        past = meetings.filter(starts_at__lt=timezone.now()).order_by("-starts_at")
        for meeting in reversed(list(past[:PAST_WITH_ROLES])):
            made += _fill(meeting)
        upcoming = meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at")
        for meeting in upcoming[:UPCOMING_WITH_ROLES]:
            made += _fill(meeting)
    out.write(f"  {made} meeting roles (timekeepers, note-takers, check-in leads)")
