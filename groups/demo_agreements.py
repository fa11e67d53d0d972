"""Demo agreements for `manage.py seed_demo` (called from groups.demo). Safe to rerun.

Every demo group whose organisation has templates gets version 1 from them; the demo
member and the member on a break have signed their groups' agreements; the newcomer
(pending) has not. One member proposal shows how rules are developed together.
"""

from __future__ import annotations

from groups.models import AgreementProposal, AgreementVersion, Membership, PeerGroup, Signature
from groups.services.agreements import agreement_draft_get_or_create, agreement_publish
from members.models import User

SIGNERS = ["member@example.org", "onbreak@example.org", "other@example.org"]
DEMO_ORGS = ["harbour-peer-network", "northern-lights-peers"]
PROPOSAL = (
    "Could we add a rule that we check in with each other before sharing something "
    "graphic about an incident? Some of us find details hard to hear."
)


def seed_agreements(out) -> None:
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    groups = PeerGroup.objects.filter(organisation__slug__in=DEMO_ORGS).select_related(
        "organisation"
    )
    published = 0
    for group in groups:
        if not AgreementVersion.objects.filter(group=group).exists():
            agreement_draft_get_or_create(group=group)
            agreement_publish(group=group, user=facilitator)
            published += 1
    signed = _sign_for_demo_members()
    _seed_proposal()
    out.write(f"  agreements: {published} published, {signed} new signatures")


def _sign_for_demo_members() -> int:
    signed = 0
    memberships = Membership.objects.filter(
        user__email__in=SIGNERS,
        status__in=[Membership.Status.ACTIVE, Membership.Status.ON_BREAK],
    ).select_related("user", "group")
    for membership in memberships:
        version = (
            AgreementVersion.objects.filter(group=membership.group).order_by("-number").first()
        )
        if version is None:
            continue
        _signature, created = Signature.objects.get_or_create(
            version=version,
            member=membership.user,
            defaults={
                "group": membership.group,
                "content_hash": version.content_hash,
                "typed_name": membership.user.full_name or membership.user.display_name,
                "addendum_acknowledged": bool(version.online_addendum),
            },
        )
        signed += created
    return signed


def _seed_proposal() -> None:
    member = User.objects.filter(email="member@example.org").first()
    membership = (
        Membership.objects.filter(user=member, status=Membership.Status.ACTIVE)
        .select_related("group")
        .order_by("group__name")
        .first()
    )
    if membership is not None:
        AgreementProposal.objects.get_or_create(
            group=membership.group, author=member, text=PROPOSAL
        )
