"""Reads about organisations, groups and who holds which role.

A person's memberships and organisation roles are loaded once per request (one query
each) and kept on the user object, so permission checks on a page with many groups cost
no extra queries. Services that change roles call `forget_roles(user)`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from groups.models import Membership, Organisation, OrganisationRole, PeerGroup

ACTIVE = Membership.Status.ACTIVE
FACILITATOR = Membership.Role.FACILITATOR


def memberships_of(user) -> dict[int, Membership]:
    """{group id: Membership} for every group this person has ever been in."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_ps_memberships", None)
    if cached is None:
        cached = {m.group_id: m for m in Membership.objects.filter(user=user)}
        user._ps_memberships = cached
    return cached


def organisation_roles_of(user) -> set[tuple[int, str]]:
    """{(organisation id, role)} for this person."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_ps_org_roles", None)
    if cached is None:
        cached = set(
            OrganisationRole.objects.filter(user=user).values_list("organisation_id", "role")
        )
        user._ps_org_roles = cached
    return cached


def forget_roles(user) -> None:
    for attr in ("_ps_memberships", "_ps_org_roles"):
        if hasattr(user, attr):
            delattr(user, attr)


def membership(user, group: PeerGroup) -> Membership | None:
    return memberships_of(user).get(group.pk)


def is_organizer(user, organisation: Organisation | int) -> bool:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return (org_id, OrganisationRole.Role.ORGANIZER) in organisation_roles_of(user)


def is_facilitator(user, group: PeerGroup) -> bool:
    found = membership(user, group)
    return bool(found and found.is_facilitator)


def is_active_member(user, group: PeerGroup) -> bool:
    """Active members and facilitators: those who take part in meetings."""
    found = membership(user, group)
    return bool(found and found.status == ACTIVE)


def runs_group(user, group: PeerGroup) -> bool:
    """Facilitators of the group and organizers of its organisation."""
    return is_facilitator(user, group) or is_organizer(user, group.organisation_id)


def can_view_group(user, group: PeerGroup) -> bool:
    """Listed and unlisted groups are public; private ones only to people inside them."""
    if group.visibility != PeerGroup.Visibility.PRIVATE:
        return True
    found = membership(user, group)
    inside = found and found.status in {
        ACTIVE,
        Membership.Status.ON_BREAK,
        Membership.Status.PENDING,
    }
    return bool(inside or runs_group(user, group) or getattr(user, "is_staff", False))


def organisations_run_by(user) -> QuerySet[Organisation]:
    ids = [
        org for org, role in organisation_roles_of(user) if role == OrganisationRole.Role.ORGANIZER
    ]
    return Organisation.objects.filter(pk__in=ids)


def groups_facilitated_by(user) -> QuerySet[PeerGroup]:
    ids = [gid for gid, m in memberships_of(user).items() if m.is_facilitator]
    return PeerGroup.objects.filter(pk__in=ids)


def can_see_private_location(user, group: PeerGroup) -> bool:
    """The group's place and online link: the one rule every page and email asks.

    Facilitators and organizers always; members only while active (the agreements issue
    adds: and signed the group's current agreement).
    """
    if runs_group(user, group):
        return True
    return is_active_member(user, group)
