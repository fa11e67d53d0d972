"""Writes about meeting roles: willingness, and assignment (the assignee is told)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership, PeerGroup
from members.notifications import notify
from peersupport.errors import DomainError
from sessions.models import Meeting, MeetingRole, RoleWillingness


@transaction.atomic
def role_willingness_set(*, group: PeerGroup, user, roles: Iterable[str]) -> set[str]:
    """Replace the roles this member is willing to take in the group's meetings."""
    wanted = set(roles)
    unknown = wanted - set(MeetingRole.Role.values)
    if unknown:
        raise DomainError(_("Please choose from the roles listed."))
    inside = Membership.objects.taking_part().filter(group=group, user=user).exists()
    if not inside:
        raise DomainError(_("Only members of the group can offer to take a role."))
    RoleWillingness.objects.filter(group=group, user=user).exclude(role__in=wanted).delete()
    have = set(
        RoleWillingness.objects.filter(group=group, user=user).values_list("role", flat=True)
    )
    RoleWillingness.objects.bulk_create(
        RoleWillingness(group=group, user=user, role=role) for role in sorted(wanted - have)
    )
    return wanted


def _check_assignable(*, meeting: Meeting, user) -> None:
    if meeting.status != Meeting.Status.SCHEDULED or meeting.ends_at <= timezone.now():
        raise DomainError(_("Roles can only be given for upcoming meetings."))
    found = Membership.objects.filter(group_id=meeting.group_id, user=user).first()
    if found is not None and found.status == Membership.Status.ON_BREAK:
        raise DomainError(
            _("%(name)s is taking a break from the group, so please ask someone else.")
            % {"name": user.display_name}
        )
    if found is None or found.status != Membership.Status.ACTIVE or not user.is_active:
        raise DomainError(_("Only active members of the group can take a role."))


@transaction.atomic
def role_assign(*, meeting: Meeting, role: str, user, by) -> MeetingRole:
    """Give `role` in this meeting to `user`; they are told through the notification layer.

    Confirming the person who already holds the role changes nothing and sends nothing.
    Handing the role to someone else makes a new row, so a message still queued for the
    previous person finds its subject gone and is skipped, never sent.
    """
    if role not in MeetingRole.Role.values:
        raise DomainError(_("Please choose from the roles listed."))
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_assignable(meeting=locked, user=user)
    current = MeetingRole.objects.filter(meeting=locked, role=role).first()
    if current is not None and current.user_id == user.pk:
        return current
    if current is not None:
        current.delete()
    row = MeetingRole.objects.create(meeting=locked, role=role, user=user, assigned_by=by)
    notify(
        kind="role_assigned",
        recipient=user,
        about=row,
        context={
            "when": locked.starts_at,
            "zone": user.time_zone,
            "meeting_url": settings.SITE_URL + locked.get_absolute_url(),
        },
    )
    return row


@transaction.atomic
def role_unassign(*, meeting: Meeting, role: str) -> bool:
    deleted, _rows = MeetingRole.objects.filter(meeting=meeting, role=role).delete()
    return bool(deleted)
