"""Models of the groups app, one module per area."""

from groups.models.access import AccessFeature, AddressPrecision
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
from groups.models.invitations import RoleInvitation
from groups.models.safety import Concern, MediationStep, RetentionPolicy, SupportRequest

__all__ = [
    "AccessFeature",
    "AddressPrecision",
    "AgreementDraft",
    "AgreementProposal",
    "AgreementTemplate",
    "AgreementVersion",
    "AuditEntry",
    "Concern",
    "ContactAccessLog",
    "Invitation",
    "MediationStep",
    "Membership",
    "MembershipEvent",
    "Mentorship",
    "Organisation",
    "OrganisationRole",
    "PartnerOrganisation",
    "PeerGroup",
    "RetentionPolicy",
    "RoleInvitation",
    "Signature",
    "SupportRequest",
]
