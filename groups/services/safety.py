"""Safety services: support requests, concerns and mediation, retention purges."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import (
    Concern,
    ContactAccessLog,
    MediationStep,
    Membership,
    Organisation,
    OrganisationRole,
    PeerGroup,
    RetentionPolicy,
    RoleInvitation,
    SupportRequest,
)
from groups.selectors.roster import facilitators_of, organisation_people
from groups.services.membership import membership_remove, membership_take_break
from groups.services.organisations import role_invitation_send
from members.notifications import notify
from peersupport.audit import audit_record
from peersupport.errors import DomainError


# --- "I'd like more support" ----------------------------------------------------------
@transaction.atomic
def support_request_submit(*, group: PeerGroup, member, message: str, contact_way: str):
    """Open a request, or update the open one: asking again never makes a duplicate."""
    request, created = SupportRequest.objects.select_for_update().get_or_create(
        group=group,
        member=member,
        status=SupportRequest.Status.OPEN,
        defaults={"message": message, "contact_way": contact_way},
    )
    if not created:
        request.message = message or request.message
        request.contact_way = contact_way
        request.updated_at = timezone.now()
        request.save(update_fields=["message", "contact_way", "updated_at"])
    else:
        # The page holds what they wrote; the email only says someone is waiting.
        notify_people(
            "support_request",
            facilitators_of(group.pk).exclude(pk=member.pk),
            about=request,
            context={"group": group, "followups_url": absolute_url("groups:followups", group.slug)},
        )
    return request


@transaction.atomic
def support_request_flag_urgent(*, group: PeerGroup, member, message: str, link: str):
    """An urgent follow-up the app raises for a member (an app above, such as the group
    space, noticed words of distress): in the same queue as the member's own requests,
    merged with their open one, never a second queue."""
    request, created = SupportRequest.objects.select_for_update().get_or_create(
        group=group,
        member=member,
        status=SupportRequest.Status.OPEN,
        defaults={"message": message, "urgent": True, "link": link},
    )
    if not created:
        request.urgent, request.link = True, link
        request.updated_at = timezone.now()
        request.save(update_fields=["urgent", "link", "updated_at"])
    notify_people(
        "support_request",
        facilitators_of(group.pk).exclude(pk=member.pk),
        about=request,
        context={
            "group": group,
            "urgent": True,
            "followups_url": absolute_url("groups:followups", group.slug),
        },
    )
    return request


# --- telling the people who act -------------------------------------------------------
def absolute_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def notify_people(kind: str, people, *, about, context: dict) -> int:
    """One email per person through the notification layer (sent after commit, once).

    Emails carry no names and no health detail: only that something waits on a page
    behind sign-in, so a shared inbox or a lost phone reveals nothing.
    """

    return sum(
        notify(kind=kind, recipient=person, about=about, context=context)
        for person in people.distinct()
    )


@transaction.atomic
def support_request_handle(*, request: SupportRequest, by) -> SupportRequest:
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != SupportRequest.Status.HANDLED:
        request.status = SupportRequest.Status.HANDLED
        request.handled_at = request.updated_at = timezone.now()
        request.handled_by = by
        request.save()
    return request


# --- concerns and mediation -----------------------------------------------------------
@transaction.atomic
def concern_report(*, group: PeerGroup, reporter, description: str, about=None) -> Concern:
    if about is not None and about.pk == reporter.pk:
        raise DomainError(
            _(
                "A concern is about someone else's conduct. If you're finding things hard "
                "yourself, you can ask the facilitators for more support instead."
            )
        )
    if about is not None and not Membership.objects.filter(group=group, user=about).exists():
        raise DomainError(_("Please choose a member of this group."))
    concern = Concern.objects.create(
        group=group, reporter=reporter, about=about, description=description.strip()
    )
    # Facilitators and organizers triage concerns; never the reporter, nor the person the
    # concern is about (a facilitator's own conduct goes to the others and the organizers).
    organizers = organisation_people(group.organisation_id, OrganisationRole.Role.ORGANIZER)
    triage = (facilitators_of(group.pk) | organizers).exclude(pk=reporter.pk)
    if about is not None:
        triage = triage.exclude(pk=about.pk)
    notify_people(
        "concern_reported",
        triage,
        about=concern,
        context={"group": group, "concern_url": absolute_url("groups:concern", concern.pk)},
    )
    return concern


def _membership_of(concern: Concern) -> Membership:
    found = Membership.objects.filter(group=concern.group, user=concern.about).first()
    if concern.about is None or found is None:
        raise DomainError(_("This concern is not about a specific member."))
    return found


@transaction.atomic
def concern_step_add(*, concern: Concern, author, action: str, note: str) -> MediationStep:
    """Record what was done; pausing or removing goes through the membership services."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == Concern.Status.CLOSED:
        raise DomainError(_("This concern is closed."))
    if action == MediationStep.Action.PAUSED:
        membership_take_break(membership=_membership_of(concern), until=None)
    elif action == MediationStep.Action.REMOVED:
        membership_remove(membership=_membership_of(concern), actor=author, message=note)
    if action == MediationStep.Action.CLOSED:
        concern.status, concern.outcome, concern.closed_at = "closed", note, timezone.now()
    else:
        concern.status = Concern.Status.MEDIATING
    concern.save()
    audit_record(
        actor=author,
        action=f"concern_{action}",
        organisation=concern.group.organisation_id,
        target_repr=_("concern %(pk)s") % {"pk": concern.pk},
    )
    return MediationStep.objects.create(concern=concern, author=author, action=action, note=note)


# --- retention ------------------------------------------------------------------------
def retention_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete contact-access logs and handled follow-ups older than each organisation keeps.

    Idempotent: a second run the same day deletes nothing more.
    """
    now = now or timezone.now()
    deleted = 0
    for organisation in Organisation.objects.all().iterator():
        policy = RetentionPolicy.objects.filter(organisation=organisation).first()
        policy = policy or RetentionPolicy(organisation=organisation)
        logs = ContactAccessLog.objects.filter(
            group__organisation=organisation,
            created_at__lt=now - datetime.timedelta(days=policy.contact_log_days),
        )
        followups = SupportRequest.objects.filter(
            group__organisation=organisation,
            status=SupportRequest.Status.HANDLED,
            handled_at__lt=now - datetime.timedelta(days=policy.followup_days),
        )
        deleted += logs.delete()[0] + followups.delete()[0]
    return deleted


# --- safeguarding leads ----------------------------------------------------------------
def safeguarding_lead_invite(*, organisation: Organisation, email: str, actor) -> None:
    """Organizers ask someone to receive escalated debriefs: a role by invitation, like
    organizers and facilitators (see `role_invitation_send`)."""

    role_invitation_send(
        organisation=organisation,
        email=email,
        role=RoleInvitation.Role.SAFEGUARDING_LEAD,
        by=actor,
    )
