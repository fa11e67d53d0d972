"""Models of the groups app, one module per area."""

from groups.models.agreements import (
    AgreementDraft,
    AgreementProposal,
    AgreementTemplate,
    AgreementVersion,
    Signature,
)
from groups.models.audit import AuditEntry
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
    "AgreementDraft",
    "AgreementProposal",
    "AgreementTemplate",
    "AgreementVersion",
    "AuditEntry",
    "ContactAccessLog",
    "Invitation",
    "Membership",
    "MembershipEvent",
    "Mentorship",
    "Organisation",
    "OrganisationRole",
    "PartnerOrganisation",
    "PeerGroup",
    "Signature",
]
