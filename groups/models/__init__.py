"""Models of the groups app, one module per area."""

from groups.models.core import (
    ContactAccessLog,
    Invitation,
    Membership,
    MembershipEvent,
    Mentorship,
    Organisation,
    OrganisationRole,
    PartnerOrganisation,
    PeerGroup,
)

__all__ = [
    "ContactAccessLog",
    "Invitation",
    "Membership",
    "MembershipEvent",
    "Mentorship",
    "Organisation",
    "OrganisationRole",
    "PartnerOrganisation",
    "PeerGroup",
]
