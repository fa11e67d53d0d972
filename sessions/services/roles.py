"""Writes about meeting roles: willingness, assignment, and telling the assignee."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership, PeerGroup
from peersupport.errors import DomainError
from peersupport.tasks import enqueue_on_commit
from sessions.models import Meeting, MeetingRole, RoleWillingness


@transaction.atomic
def role_willingness_set(*, group: PeerGroup, user, roles: Iterable[str]) -> set[str]:
    """Replace the roles this member is willing to take in the group's meetings."""
    wanted = set(roles)
    unknown = wanted - set(MeetingRole.Role.values)
    if unknown:
        raise DomainError(_("Please choose from the roles listed."))
    inside = Membership.objects.filter(
        group=group,
        user=user,
        status__in=[Membership.Status.ACTIVE, Membership.Status.ON_BREAK],
    ).exists()
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
    """Give `role` in this meeting to `user` and email them once the change is saved.

    Confirming the person who already holds the role changes nothing and sends nothing.
    """
    if role not in MeetingRole.Role.values:
        raise DomainError(_("Please choose from the roles listed."))
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_assignable(meeting=locked, user=user)
    current = MeetingRole.objects.filter(meeting=locked, role=role).first()
    if current is not None and current.user_id == user.pk:
        return current
    if current is None:
        current = MeetingRole(meeting=locked, role=role)
    current.user, current.assigned_by = user, by
    current.assigned_at, current.notified_at = timezone.now(), None
    current.save()
    from sessions.tasks import send_role_assigned

    enqueue_on_commit(send_role_assigned, current.pk)
    return current


@transaction.atomic
def role_unassign(*, meeting: Meeting, role: str) -> bool:
    deleted, _rows = MeetingRole.objects.filter(meeting=meeting, role=role).delete()
    return bool(deleted)


def _zone_of(user):
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


@transaction.atomic
def role_notify(*, role_id: int) -> bool:
    """Email the assignee once; False when already told, reassigned or no longer due.

    The row is locked and stamped in the same transaction as the send, so a retried or
    duplicated task finds the stamp and sends nothing.
    """
    row = (
        MeetingRole.objects.select_for_update(of=("self",))
        .select_related("meeting__group", "user")
        .filter(pk=role_id, notified_at__isnull=True)
        .first()
    )
    if row is None or row.meeting.status != Meeting.Status.SCHEDULED:
        return False
    user, meeting = row.user, row.meeting
    zone = _zone_of(user)
    context = {
        "user": user,
        "role_label": row.get_role_display(),
        "starts_local": meeting.starts_at.astimezone(zone),
        "zone_name": str(zone),
        # Discreet mode keeps the group's name out of the email entirely.
        "group_name": "" if user.discreet_mode else meeting.group.name,
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("emails/role_assigned_subject.txt", context).strip(),
        body=render_to_string("emails/role_assigned_body.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("emails/role_assigned_body.html", context), "text/html"
    )
    message.send()
    row.notified_at = timezone.now()
    row.save(update_fields=["notified_at"])
    return True
