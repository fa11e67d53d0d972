"""Writes about organisations: details, organizers and facilitators (by invitation), partners."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import (
    Membership,
    MembershipEvent,
    Organisation,
    OrganisationRole,
    PartnerOrganisation,
    PeerGroup,
    RoleInvitation,
)
from groups.selectors import forget_roles
from groups.services import GroupsError
from groups.services.groups import unique_slug
from groups.services.membership import membership_audit
from members.models import Delivery
from members.notifications import notices_forget, notify
from peersupport.audit import audit_record

ORGANISATION_FIELDS = [
    "name",
    "description",
    "contact_email",
    "contact_phone",
    "website",
    "crisis_resources",
    "professional_referrals",
    "notes_retention_days",
    "default_language",
    "list_in_finders",
]
ORGANIZER = OrganisationRole.Role.ORGANIZER


@transaction.atomic
def organisation_create(*, user, data: dict[str, Any]) -> Organisation:
    """A new organisation; the person who creates it becomes its first organizer."""
    values = {key: data[key] for key in ORGANISATION_FIELDS if key in data}
    slug = unique_slug(Organisation, values.get("name", ""), fallback="organisation")
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(slug=slug, **values)
    except IntegrityError:
        raise GroupsError(
            _("We could not save the organisation just now. Please try again.")
        ) from None
    OrganisationRole.objects.create(organisation=organisation, user=user, role=ORGANIZER)
    forget_roles(user)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    for key in ORGANISATION_FIELDS:
        if key in data:
            setattr(organisation, key, data[key])
    organisation.save()
    return organisation


@transaction.atomic
def organisation_remove_organizer(*, role: OrganisationRole) -> None:
    """Remove an organizer; the last one stays, so the organisation is never left unrun."""
    organizers = OrganisationRole.objects.select_for_update().filter(
        organisation_id=role.organisation_id, role=ORGANIZER
    )
    if len(organizers) <= 1:
        raise GroupsError(
            _("An organisation needs at least one organizer. Appoint someone else first.")
        )
    role.delete()
    audit_record(
        actor=None,
        action="organizer_removed",
        organisation=role.organisation_id,
        target_repr=str(role.user),
        subject=role.user,
    )
    forget_roles(role.user)


# --- roles by invitation ----------------------------------------------------------------
# Appointing someone only asks them. Until they accept nothing changes for them (no role
# row, no two-step demand, no contact details shown), and the appointer is told the same
# thing whether or not the address has an account, is already in the role or was asked
# before: an organisation anyone can create must not be a way to probe addresses.
INVITATION_LIFETIME = datetime.timedelta(days=14)


def _invitee(email: str):
    return get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()


# Invitation roles held organisation-wide, and the role row each becomes.
ORGANISATION_ROLES = {
    RoleInvitation.Role.ORGANIZER: ORGANIZER,
    RoleInvitation.Role.SAFEGUARDING_LEAD: OrganisationRole.Role.SAFEGUARDING_LEAD,
}


def _holds(user, *, organisation: Organisation, group: PeerGroup | None, role: str) -> bool:
    if role in ORGANISATION_ROLES:
        return OrganisationRole.objects.filter(
            organisation=organisation, user=user, role=ORGANISATION_ROLES[role]
        ).exists()
    return Membership.objects.filter(
        group=group,
        user=user,
        role=Membership.Role.FACILITATOR,
        status__in=Membership.TAKING_PART,
    ).exists()


@transaction.atomic
def role_invitation_send(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    by,
    group: PeerGroup | None = None,
) -> None:
    """Ask the person with this address to take the role. Returns nothing on purpose.

    An unknown address creates nothing and sends nothing (we never create accounts for
    people); someone already in the role, or already asked, is not asked again. Callers
    say "invitation sent" in every case.
    """
    if role == RoleInvitation.Role.FACILITATOR and (
        group is None or group.organisation_id != organisation.pk
    ):
        raise GroupsError(_("Choose one of the organisation's groups."))
    if role in ORGANISATION_ROLES:
        group = None
    user = _invitee(email)
    if user is None or _holds(user, organisation=organisation, group=group, role=role):
        return
    invitation, created = RoleInvitation.objects.get_or_create(
        invitee=user,
        organisation=organisation,
        group=group,
        role=role,
        defaults={"invited_by": by, "expires_at": timezone.now() + INVITATION_LIFETIME},
    )
    if not created:
        if invitation.expires_at > timezone.now():
            return
        # An expired invitation is renewed: a fresh link, a fresh email.
        _forget_messages(invitation)
        invitation.delete()
        invitation = RoleInvitation.objects.create(
            invitee=user,
            organisation=organisation,
            group=group,
            role=role,
            invited_by=by,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
    _tell_invitee(invitation)


def _tell_invitee(invitation: RoleInvitation) -> None:
    notify(
        kind="role_invitation",
        recipient=invitation.invitee,
        about=invitation,
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "group": invitation.group,
            "invited_by": invitation.invited_by,
            "url": settings.SITE_URL + reverse("groups:role_invitation", args=[invitation.token]),
        },
    )


def role_invitations_pending(user):
    """The person's invitations that can still be accepted, oldest first."""
    return (
        RoleInvitation.objects.filter(invitee=user, expires_at__gt=timezone.now())
        .select_related("organisation", "group", "invited_by")
        .order_by("created_at", "pk")
    )


def role_invitation_for(*, user, token: str) -> RoleInvitation | None:
    """The person's own pending invitation with this token; anyone else's is None."""
    return role_invitations_pending(user).filter(token=token[:64]).first()


def _forget_messages(invitation: RoleInvitation) -> None:
    """The ledger row of the invitation email, and its notice in the invitee's
    notifications list, go with the invitation."""
    from django.contrib.contenttypes.models import ContentType

    Delivery.objects.filter(
        about_type=ContentType.objects.get_for_model(RoleInvitation), about_id=invitation.pk
    ).delete()
    notices_forget(about=invitation)


@transaction.atomic
def role_invitation_decline(*, invitation: RoleInvitation) -> None:
    """Declining leaves nothing behind: no invitation, no role, no history, no audit."""
    _forget_messages(invitation)
    invitation.delete()


@transaction.atomic
def role_invitation_accept(*, invitation: RoleInvitation) -> None:
    """The person takes the role they were asked to take."""
    invitation = RoleInvitation.objects.select_for_update().get(pk=invitation.pk)
    user, by = invitation.invitee, invitation.invited_by
    if invitation.expires_at <= timezone.now():
        raise GroupsError(_("This invitation has expired. Ask for a new one."))
    if invitation.role in ORGANISATION_ROLES:
        OrganisationRole.objects.get_or_create(
            organisation=invitation.organisation,
            user=user,
            role=ORGANISATION_ROLES[invitation.role],
        )
        action = {
            RoleInvitation.Role.ORGANIZER: "organizer_appointed",
            RoleInvitation.Role.SAFEGUARDING_LEAD: "safeguarding_lead_appointed",
        }[invitation.role]
    else:
        _become_facilitator(group=invitation.group, user=user, by=by)
        action = "facilitator_appointed"
    audit_record(
        actor=by,
        action=action,
        organisation=invitation.organisation_id,
        target_repr=str(user),
        subject=user,
    )
    _forget_messages(invitation)
    invitation.delete()
    forget_roles(user)


def _become_facilitator(*, group: PeerGroup, user, by) -> Membership:
    """An active facilitator of the group, with the step in the membership's history.

    A removed membership is not brought back by an invitation: the group's facilitators
    ended it, and an organizer's invitation does not overrule them. A person who left, or
    asked to join, rejoins by accepting (the invitation page says so first).
    """
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    from_status = ""
    if membership is None:
        membership = Membership.objects.create(
            group=group,
            user=user,
            role=Membership.Role.FACILITATOR,
            status=Membership.Status.ACTIVE,
            joined_at=timezone.now(),
        )
    else:
        if membership.status == Membership.Status.REMOVED:
            raise GroupsError(
                _(
                    "Your membership of this group was ended by its facilitators, so this "
                    "invitation cannot be accepted. Please talk to the organisation."
                )
            )
        from_status = membership.status
        membership.role = Membership.Role.FACILITATOR
        if membership.status != Membership.Status.ON_BREAK:
            membership.status = Membership.Status.ACTIVE
        membership.joined_at = membership.joined_at or timezone.now()
        membership.save(update_fields=["role", "status", "joined_at", "updated_at"])
    MembershipEvent.objects.create(
        membership=membership,
        from_status=from_status,
        to_status=membership.status,
        role=membership.role,
        actor=by,
        message=_("Accepted the invitation to facilitate."),
    )
    return membership


@transaction.atomic
def group_remove_facilitator(*, membership: Membership, actor) -> Membership:
    """The person stops facilitating and stays in the group as a member."""
    if membership.role != Membership.Role.FACILITATOR:
        raise GroupsError(_("This person is not a facilitator of the group."))
    membership.role = Membership.Role.MEMBER
    membership.save(update_fields=["role", "updated_at"])
    MembershipEvent.objects.create(
        membership=membership,
        from_status=membership.status,
        to_status=membership.status,
        role=membership.role,
        actor=actor,
        message=_("No longer a facilitator."),
    )
    membership_audit(actor=actor, action="facilitator_removed", membership=membership)
    forget_roles(membership.user)
    return membership


@transaction.atomic
def partner_add(*, organisation: Organisation, data: dict[str, Any]) -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(
        organisation=organisation,
        name=data["name"],
        website=data.get("website", ""),
        description=data.get("description", ""),
    )


@transaction.atomic
def partner_remove(*, partner: PartnerOrganisation) -> None:
    partner.delete()
