"""Permission rules for organisations and groups (registered in peersupport.permissions)."""

from groups import selectors
from peersupport.permissions import rule, signed_in, signed_in_rules


@rule("organisations.create")
def organisation_create(user, obj) -> bool:
    return signed_in(user)


signed_in_rules(
    {
        "organisations.manage": selectors.is_organizer,
        # Edit the group, handle join requests, invitations, members and mentors.
        "groups.manage": selectors.runs_group,
        # Email and full name: the group's own facilitators only (every view is logged).
        "groups.view_contacts": selectors.is_facilitator,
        # Signed-in people who may see the group; the join service decides the rest.
        "groups.join": selectors.can_view_group,
        # Take a break, come back, leave, offer to mentor: people inside the group.
        "groups.own_membership": selectors.takes_part,
    }
)


@rule("groups.view")
def group_view(user, group) -> bool:
    return selectors.can_view_group(user, group)


@rule("groups.member_area")
def group_member_area(user, group) -> bool:
    """The inside of a group: members (also on a break), facilitators and organizers."""
    return signed_in(user) and (
        selectors.takes_part(user, group) or selectors.runs_group(user, group)
    )


@rule("groups.mentorship_message")
def group_mentorship_message(user, mentorship) -> bool:
    """Writing to one's mentor (or mentee) through the app: the two people of a current
    pairing, while active in its group."""
    found = selectors.membership(user, mentorship.group)
    return (
        signed_in(user)
        and mentorship.ended_at is None
        and user.pk in (mentorship.mentor_id, mentorship.mentee_id)
        and found is not None
        and found.status == found.Status.ACTIVE
    )


# --- joining and one's own membership ----------------------------------
# --- agreements -------------------------------------------------------------
@rule("groups.agreement_read")
def group_agreement_read(user, group) -> bool:
    """The group's agreement and its history: people inside the group and who runs it."""
    return group_member_area(user, group)


@rule("groups.agreement_sign")
def group_agreement_sign(user, group) -> bool:
    """Members taking part (active or on a break) sign; others get 404."""
    from groups.selectors.agreements import can_sign_agreement

    return signed_in(user) and can_sign_agreement(user, group)


@rule("groups.own_request")
def group_own_request(user, group) -> bool:
    """Withdraw one's own join request while it waits for the facilitators."""
    found = selectors.membership(user, group)
    return signed_in(user) and found is not None and found.status == found.Status.PENDING
