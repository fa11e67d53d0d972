"""Permission rules for debriefs and escalations."""

from groups import selectors
from groups.models import OrganisationRole
from peersupport.permissions import rule, signed_in, signed_in_rules

LEAD = OrganisationRole.Role.SAFEGUARDING_LEAD


# A meeting's debrief: private to the group's facilitators.
signed_in_rules({"meetings.debrief": selectors.is_facilitator}, through="group")


@rule("meetings.escalations")
def escalations(user, organisation) -> bool:
    """The organisation's safeguarding lead(s)."""
    return signed_in(user) and (organisation.pk, LEAD) in selectors.organisation_roles_of(user)


@rule("meetings.close_escalation")
def close_escalation(user, debrief) -> bool:
    return escalations(user, debrief.meeting.group.organisation)
