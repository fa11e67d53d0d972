"""Permission rules for organisations and groups (registered in peersupport.permissions)."""

from groups import selectors
from peersupport.permissions import rule


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rule("organisations.create")
def organisation_create(user, obj) -> bool:
    return _signed_in(user)


@rule("organisations.manage")
def organisation_manage(user, organisation) -> bool:
    return _signed_in(user) and selectors.is_organizer(user, organisation)


@rule("groups.view")
def group_view(user, group) -> bool:
    return selectors.can_view_group(user, group)


@rule("groups.manage")
def group_manage(user, group) -> bool:
    """Edit the group, handle join requests, invitations, members and mentors."""
    return _signed_in(user) and selectors.runs_group(user, group)


@rule("groups.view_contacts")
def group_view_contacts(user, group) -> bool:
    """Email and full name: the group's own facilitators only (every view is logged)."""
    return _signed_in(user) and selectors.is_facilitator(user, group)


@rule("groups.member_area")
def group_member_area(user, group) -> bool:
    """The inside of a group: members (also on a break), facilitators and organizers."""
    found = selectors.membership(user, group)
    inside = found is not None and found.status in {
        found.Status.ACTIVE,
        found.Status.ON_BREAK,
    }
    return _signed_in(user) and (inside or selectors.runs_group(user, group))
