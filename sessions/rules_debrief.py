"""Permission rules for debriefs and escalations."""

from groups import selectors
from groups.models import OrganisationRole
from peersupport.permissions import rule, signed_in

LEAD = OrganisationRole.Role.SAFEGUARDING_LEAD


@rule("meetings.debrief")
def debrief(user, meeting) -> bool:
    """Private to the group's facilitators."""
    return signed_in(user) and selectors.is_facilitator(user, meeting.group)


@rule("meetings.escalations")
def escalations(user, organisation) -> bool:
    """The organisation's safeguarding lead(s)."""
    return signed_in(user) and (organisation.pk, LEAD) in selectors.organisation_roles_of(user)


@rule("meetings.close_escalation")
def close_escalation(user, debrief) -> bool:
    return escalations(user, debrief.meeting.group.organisation)
