"""Permission rules for debriefs and escalations (issue 11)."""

from groups import selectors
from groups.models import OrganisationRole
from peersupport.permissions import rule

LEAD = OrganisationRole.Role.SAFEGUARDING_LEAD


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rule("meetings.debrief")
def debrief(user, meeting) -> bool:
    """Private to the group's facilitators."""
    return _signed_in(user) and selectors.is_facilitator(user, meeting.group)


@rule("meetings.escalations")
def escalations(user, organisation) -> bool:
    """The organisation's safeguarding lead(s)."""
    return _signed_in(user) and (organisation.pk, LEAD) in selectors.organisation_roles_of(user)


@rule("meetings.close_escalation")
def close_escalation(user, debrief) -> bool:
    return escalations(user, debrief.meeting.group.organisation)
