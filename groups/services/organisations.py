"""Writes about organisations: details, organizers, facilitators and partners."""

from __future__ import annotations

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
)
from groups.selectors import forget_roles
from groups.services import GroupsError
from groups.services.groups import unique_slug
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
]
ORGANIZER = OrganisationRole.Role.ORGANIZER


def _account(email: str):
    """The existing account with this email; we never create accounts for people."""
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise GroupsError(
            _(
                "No account uses that email address. "
                "Ask the person to sign up first, then try again."
            )
        )
    return user


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
def organisation_appoint_organizer(*, organisation: Organisation, email: str) -> OrganisationRole:
    user = _account(email)
    role, created = OrganisationRole.objects.get_or_create(
        organisation=organisation, user=user, role=ORGANIZER
    )
    if not created:
        raise GroupsError(_("%(name)s is already an organizer.") % {"name": user.display_name})
    audit_record(
        actor=None,
        action="organizer_appointed",
        organisation=organisation,
        target_repr=str(user),
        subject=user,
    )
    forget_roles(user)
    return role


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


@transaction.atomic
def group_appoint_facilitator(*, group: PeerGroup, email: str, actor) -> Membership:
    """Make someone a facilitator of `group`: an active membership with that role.

    Every change is written to the membership's history.
    """
    user = _account(email)
    membership, created = Membership.objects.select_for_update().get_or_create(
        group=group,
        user=user,
        defaults={
            "role": Membership.Role.FACILITATOR,
            "status": Membership.Status.ACTIVE,
            "joined_at": timezone.now(),
        },
    )
    if not created:
        if membership.is_facilitator:
            raise GroupsError(
                _("%(name)s already facilitates this group.") % {"name": user.display_name}
            )
        from_status = membership.status
        membership.role = Membership.Role.FACILITATOR
        membership.status = Membership.Status.ACTIVE
        membership.joined_at = membership.joined_at or timezone.now()
        membership.save(update_fields=["role", "status", "joined_at", "updated_at"])
    else:
        from_status = ""
    event = MembershipEvent.objects.create(
        membership=membership,
        from_status=from_status,
        to_status=membership.status,
        role=membership.role,
        actor=actor,
        message=_("Appointed facilitator."),
    )
    _tell_new_facilitator(event)
    audit_record(
        actor=actor,
        action="facilitator_appointed",
        organisation=group.organisation_id,
        target_repr=str(user),
        subject=user,
    )
    forget_roles(user)
    return membership


def _tell_new_facilitator(event: MembershipEvent) -> None:
    """Nobody should find out from the menu that they now run a group."""
    from members.notifications import notify

    group = event.membership.group
    notify(
        kind="facilitator_appointed",
        recipient=event.membership.user,
        about=event,
        context={
            "group": group,
            "appointed_by": event.actor,
            "manage_url": settings.SITE_URL + reverse("meetings:group_list", args=[group.slug]),
            "dashboard_url": settings.SITE_URL + reverse("meetings:facilitator_dashboard"),
        },
    )


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
    audit_record(
        actor=actor,
        action="facilitator_removed",
        organisation=membership.group.organisation_id,
        target_repr=str(membership.user),
        subject=membership.user,
    )
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
