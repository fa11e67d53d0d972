"""Reads about agreements: the current version, who signed what, and the gate.

The gate: an active member sees the group's place and online link (and may RSVP) only
after signing the group's *current* agreement version. Facilitators and organizers are
never gated. A group that has not published any version yet blocks nobody: there is
nothing to sign, and a group must not lose its meeting place because its facilitators
have not written an agreement yet (the manage page warns them about it).

Per person, the signing status of all their groups is loaded with their memberships
(`groups.selectors.agreement_statuses_of`, one query, kept on the user object and in the
row cache); services that sign or publish call `forget_agreement_status(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.models import (
    AgreementProposal,
    AgreementTemplate,
    AgreementVersion,
    Membership,
    PeerGroup,
    Signature,
)
from groups.selectors import (
    agreement_statuses_of,
    forget_roles,
    membership,
    memberships_of,
    runs_group,
    takes_part,
)

ONLINE_FORMATS = {PeerGroup.Format.ONLINE, PeerGroup.Format.HYBRID}


def needs_online_addendum(group: PeerGroup) -> bool:
    return group.format in ONLINE_FORMATS


def current_agreement_version(group: PeerGroup) -> AgreementVersion | None:
    """The latest published version, cached on the group object for this request."""
    if not hasattr(group, "_ps_current_agreement"):
        group._ps_current_agreement = (
            AgreementVersion.objects.filter(group=group).order_by("-number").first()
        )
    return group._ps_current_agreement


def agreement_status_query(user, group_ids) -> dict[int, tuple[int, int | None]]:
    rows = (
        AgreementVersion.objects.filter(group_id__in=group_ids)
        .values("group_id")
        .annotate(current=Max("number"), signed=Max("number", filter=Q(signatures__member=user)))
        .order_by()
    )
    return {row["group_id"]: (row["current"], row["signed"]) for row in rows}


def agreement_status_of(user, group: PeerGroup) -> tuple[int, int | None] | None:
    """(current version number, latest version this person signed) or None: no version.

    One query covers every group the person belongs to; other groups cost one each.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if group.pk not in memberships_of(user):
        return agreement_status_query(user, [group.pk]).get(group.pk)
    return _statuses_of(user).get(group.pk)


def _statuses_of(user) -> dict[int, tuple[int, int | None]]:
    return agreement_statuses_of(user)


def forget_agreement_status(user) -> None:
    """Forget this request's copy (the row cache was renewed by the save itself)."""
    forget_roles(user)


def has_signed_current_agreement(user, group: PeerGroup) -> bool:
    """True when the person signed the current version, or the group has none yet."""
    status = agreement_status_of(user, group)
    if status is None:
        return True
    current, signed = status
    return signed == current


@dataclass(frozen=True)
class AgreementGate:
    """What a page needs to explain the gate. `state` is one of the constants below."""

    state: str
    current_number: int | None = None
    signed_number: int | None = None
    sign_url: str = ""

    NOT_GATED = "not_gated"  # runs the group, or not a member taking part
    NOTHING_TO_SIGN = "nothing_to_sign"
    SIGNED = "signed"
    NEEDS_SIGNATURE = "needs_signature"
    NEEDS_RESIGNATURE = "needs_resignature"

    @property
    def blocks(self) -> bool:
        return self.state in {self.NEEDS_SIGNATURE, self.NEEDS_RESIGNATURE}

    @property
    def needs_resignature(self) -> bool:
        return self.state == self.NEEDS_RESIGNATURE

    @property
    def message(self) -> str:
        if self.state == self.NEEDS_RESIGNATURE:
            return str(
                _(
                    "Your group published an updated agreement. Please read it and sign it "
                    "again to see the meeting place and link and to RSVP."
                )
            )
        if self.state == self.NEEDS_SIGNATURE:
            return str(
                _(
                    "Please read and sign the group's agreement to see the meeting place and "
                    "link and to RSVP."
                )
            )
        return ""


def agreement_gate(user, group: PeerGroup) -> AgreementGate:
    """The gate for this person in this group, with the signing URL when they must sign."""
    found = membership(user, group)
    if runs_group(user, group) or not (found is not None and found.is_taking_part):
        return AgreementGate(AgreementGate.NOT_GATED)
    status = agreement_status_of(user, group)
    if status is None:
        return AgreementGate(AgreementGate.NOTHING_TO_SIGN)
    current, signed = status
    if signed == current:
        return AgreementGate(AgreementGate.SIGNED, current, signed)
    state = AgreementGate.NEEDS_SIGNATURE if signed is None else AgreementGate.NEEDS_RESIGNATURE
    url = reverse("groups:agreement_sign", args=[group.slug])
    return AgreementGate(state, current, signed, url)


def groups_needing_signature(user) -> list[PeerGroup]:
    """The person's groups whose current agreement they still have to (re-)sign, for the
    banner on their home page: no query beyond the cached ones unless there are some."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = [gid for gid, m in memberships_of(user).items() if m.is_taking_part]
    statuses = _statuses_of(user)
    unsigned = [gid for gid in ids if gid in statuses and statuses[gid][0] != statuses[gid][1]]
    if not unsigned:
        return []
    groups = PeerGroup.objects.filter(pk__in=unsigned).order_by("name", "pk")
    return [group for group in groups if agreement_gate(user, group).blocks]


def can_sign_agreement(user, group: PeerGroup) -> bool:
    """Members taking part (active or on a break, facilitators too) sign the agreement."""
    return bool(getattr(user, "is_authenticated", False) and takes_part(user, group))


# --- Lists ------------------------------------------------------------------------------
def agreement_templates_of(organisation) -> QuerySet[AgreementTemplate]:
    return AgreementTemplate.objects.filter(organisation=organisation).order_by("kind")


def agreement_versions_of(group: PeerGroup) -> QuerySet[AgreementVersion]:
    return (
        AgreementVersion.objects.filter(group=group)
        .select_related("published_by")
        .annotate(signature_count=Count("signatures"))
        .order_by("-number")
        .defer("text", "online_addendum")
    )


def signatures_of(user, group: PeerGroup) -> QuerySet[Signature]:
    return (
        Signature.objects.filter(member=user, group=group)
        .select_related("version")
        .order_by("-version__number")
    )


def agreement_proposals_of(group: PeerGroup) -> QuerySet[AgreementProposal]:
    return AgreementProposal.objects.filter(group=group).select_related("author")


def agreement_signing_table(group: PeerGroup) -> QuerySet[Membership]:
    """Members taking part, each with the latest version they signed and when."""
    latest = Signature.objects.filter(group=group, member=OuterRef("user_id")).order_by(
        "-version__number"
    )
    return (
        Membership.objects.taking_part()
        .filter(group=group)
        .select_related("user")
        .annotate(
            signed_number=Subquery(latest.values("version__number")[:1]),
            signed_at=Subquery(latest.values("signed_at")[:1]),
        )
        .order_by("user__display_name", "pk")
    )
