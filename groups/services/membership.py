"""Writes about belonging to a group: joining, requests, invitations, breaks, leaving.

Every change of a membership's status writes a MembershipEvent (from, to, who, why), so
the history is kept. Emails go out through groups.tasks and the notification layer
(members.notifications) once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import (
    ContactAccessLog,
    Invitation,
    Membership,
    MembershipEvent,
    PeerGroup,
)
from groups.selectors import forget_roles, group_is_full
from groups.services.mentorship import mentorships_end_for
from groups.services.stamps import stamp_once
from peersupport.audit import audit_record
from peersupport.errors import DomainError
from peersupport.tasks import enqueue_on_commit

Status = Membership.Status


def _notify(event: MembershipEvent, kind: str) -> None:
    from groups.tasks import send_membership_email

    enqueue_on_commit(send_membership_email, event.pk, kind)


def _set_status(
    membership: Membership, *, to: str, actor, message: str = "", **fields
) -> MembershipEvent:
    """Change the status, save, and record the change in the history."""
    event = MembershipEvent.objects.create(
        membership=membership,
        from_status=membership.status,
        to_status=to,
        role=membership.role,
        actor=actor,
        message=message,
    )
    membership.status = to
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.save()
    forget_roles(membership.user)
    return event


def _check_group_open(group: PeerGroup) -> None:
    if group.status == PeerGroup.Status.PAUSED:
        raise DomainError(_("This group is taking a pause and is not taking new members."))
    if group.status == PeerGroup.Status.ARCHIVED:
        raise DomainError(_("This group has closed and is not taking new members."))
    if group_is_full(group):
        raise DomainError(
            _("This group is full at the moment. Please look for another group or try later.")
        )


def _check_existing(existing: Membership | None, *, invited: bool) -> None:
    if existing is None or existing.status in {Status.LEFT, Status.DECLINED}:
        return
    if existing.status == Status.PENDING:
        if invited:  # an invitation is the facilitators' yes: it admits a waiting request
            return
        raise DomainError(
            _("Your request to join is already with the facilitators. They will reply soon.")
        )
    if existing.status == Status.REMOVED:
        raise DomainError(_("You can't rejoin this group here. Please contact the facilitators."))
    raise DomainError(_("You are already a member of this group."))


def _check_invitation(group: PeerGroup, invitation: Invitation | None) -> None:
    if invitation is not None:
        if invitation.group_id != group.pk or not invitation.is_usable:
            raise DomainError(
                _("This invitation link has expired or was already used. Please ask for a new one.")
            )
        return
    if group.visibility == PeerGroup.Visibility.PRIVATE:
        raise DomainError(_("This group is private: you can join with an invitation link."))
    if group.join_policy == PeerGroup.JoinPolicy.INVITATION:
        raise DomainError(
            _("This group takes new members by invitation only. Please ask its facilitators.")
        )


def membership_request_check(
    *,
    group: PeerGroup,
    user,
    invitation: Invitation | None = None,
    existing: Membership | None = None,
) -> None:
    """Raise DomainError when `user` can't join now: pages ask before showing a form."""
    if existing is None:
        existing = Membership.objects.filter(group=group, user=user).first()
    _check_existing(existing, invited=invitation is not None)
    _check_invitation(group, invitation)
    _check_group_open(group)


def membership_audit(*, actor, action: str, membership: Membership) -> None:
    """Audit a change to someone's place in a group, under the group's organisation."""
    audit_record(
        actor=actor,
        action=action,
        organisation=membership.group.organisation_id,
        target_repr=str(membership.user),
        subject=membership.user,
    )


@transaction.atomic
def membership_request(
    *,
    group: PeerGroup,
    user,
    answers: Sequence[tuple[str, str]] = (),
    invitation: Invitation | None = None,
) -> Membership:
    """Ask to join `group` (or join at once when it is open or `invitation` is valid).

    The group row is locked, so two clicks (or two people taking the last place) are
    handled one after the other: a double submit creates one request.
    """
    group = PeerGroup.objects.select_for_update().get(pk=group.pk)
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    existing = Membership.objects.select_for_update().filter(group=group, user=user).first()
    membership_request_check(group=group, user=user, invitation=invitation, existing=existing)
    admit = invitation is not None or group.join_policy == PeerGroup.JoinPolicy.OPEN
    to = Status.ACTIVE if admit else Status.PENDING
    stored = [{"question": q, "answer": a} for q, a in answers]
    if existing is not None and existing.status == Status.PENDING:
        stored = stored or existing.intake_answers  # admitted by invitation: keep answers
    if existing is None:
        try:
            with transaction.atomic():
                existing = Membership.objects.create(group=group, user=user, status="")
        except IntegrityError:
            raise DomainError(_("Your request was already received.")) from None
    event = _set_status(
        existing,
        to=to,
        actor=user,
        intake_answers=stored,
        joined_at=timezone.now() if admit else None,
        break_until=None,
        role=Membership.Role.MEMBER,
    )
    if invitation is not None:
        invitation.uses += 1
        invitation.save(update_fields=["uses"])
    if not admit:
        _notify(event, "join_request_received")
    return existing


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update().select_related("group", "user").get(pk=membership.pk)
    )


@transaction.atomic
def membership_decide(*, membership: Membership, actor, approve: bool, message: str) -> Membership:
    """A facilitator approves (active) or declines a pending request, with a kind message."""
    membership = _locked(membership)
    if membership.status != Status.PENDING:
        raise DomainError(_("This request was already handled."))
    if approve:
        group = PeerGroup.objects.select_for_update().get(pk=membership.group_id)
        if group_is_full(group):
            raise DomainError(_("The group is full: raise its member limit first."))
        event = _set_status(
            membership, to=Status.ACTIVE, actor=actor, message=message, joined_at=timezone.now()
        )
        _notify(event, "join_approved")
    else:
        event = _set_status(membership, to=Status.DECLINED, actor=actor, message=message)
        _notify(event, "join_declined")
    return membership


@transaction.atomic
def membership_take_break(*, membership: Membership, until: date | None) -> Membership:
    """Step away for a while; no reminders and no nudges until the member comes back."""
    membership = _locked(membership)
    if membership.status != Status.ACTIVE:
        raise DomainError(_("Only active members can take a break."))
    if until is not None and until <= timezone.localdate():
        raise DomainError(_("Please choose a date in the future, or leave it empty."))
    _set_status(membership, to=Status.ON_BREAK, actor=membership.user, break_until=until)
    return membership


@transaction.atomic
def membership_come_back(*, membership: Membership) -> Membership:
    membership = _locked(membership)
    if membership.status != Status.ON_BREAK:
        raise DomainError(_("You are not on a break."))
    _set_status(membership, to=Status.ACTIVE, actor=membership.user, break_until=None)
    return membership


@transaction.atomic
def membership_leave(*, membership: Membership) -> Membership:
    """The member leaves; they may ask to join again later."""
    membership = _locked(membership)
    if not membership.is_taking_part:
        raise DomainError(_("You are not a member of this group."))
    _set_status(membership, to=Status.LEFT, actor=membership.user, break_until=None)
    mentorships_end_for(membership)
    return membership


@transaction.atomic
def membership_withdraw(*, membership: Membership) -> Membership:
    """The person takes back a request the facilitators have not answered yet."""
    membership = _locked(membership)
    if membership.status != Status.PENDING:
        raise DomainError(_("This request was already answered."))
    _set_status(membership, to=Status.LEFT, actor=membership.user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor, message: str) -> Membership:
    """A facilitator removes a member; removed members cannot rejoin by themselves."""
    membership = _locked(membership)
    if membership.role == Membership.Role.FACILITATOR:
        raise DomainError(_("Facilitators are changed by the organisation's organizers."))
    if not (membership.is_taking_part or membership.status == Status.PENDING):
        raise DomainError(_("This person is not a member of the group."))
    event = _set_status(membership, to=Status.REMOVED, actor=actor, message=message)
    mentorships_end_for(membership)
    membership_audit(actor=actor, action="membership_removed", membership=membership)
    _notify(event, "membership_removed")
    return membership


# --- invitations ----------------------------------------------------------------------
@transaction.atomic
def invitation_create(
    *, group: PeerGroup, actor, single_use: bool, days: int, note: str = ""
) -> Invitation:
    if not 1 <= days <= 90:
        raise DomainError(_("An invitation can last from 1 to 90 days."))
    return Invitation.objects.create(
        group=group,
        created_by=actor,
        single_use=single_use,
        expires_at=timezone.now() + timedelta(days=days),
        note=note,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    return stamp_once(invitation, "revoked_at")


# --- contact details ------------------------------------------------------------------
def contact_access_log(*, group: PeerGroup, viewer, member) -> ContactAccessLog:
    """Write down who looked at whose email and full name, before showing them."""
    audit_record(
        actor=viewer,
        action="contact_view",
        organisation=group.organisation_id,
        target_repr=str(member),
        subject=member,
    )
    return ContactAccessLog.objects.create(group=group, viewer=viewer, member=member)


# --- emails ---------------------------------------------------------------------------
EMAIL_KINDS = {"join_request_received", "join_approved", "join_declined", "membership_removed"}


def _recipients(event: MembershipEvent, kind: str) -> list:
    if kind == "join_request_received":
        from groups.selectors.roster import facilitators_of

        return list(facilitators_of(event.membership.group_id))
    return [event.membership.user]


# The notification layer's kind for each of these emails.
NOTIFICATION_KINDS = {
    "join_request_received": "join_request",
    "join_approved": "join_approved",
    "join_declined": "join_declined",
    "membership_removed": "membership_removed",
}


def membership_email_send(*, event_id: int, kind: str) -> bool:
    """Queue the email about one membership change; False when nothing new was queued.

    It goes through the notification layer: one ledger row per (event, person), so a
    retried or redelivered task mails nobody twice, and preferences, discreet mode and
    one-click unsubscribe apply.
    """
    from members.notifications import notify

    if kind not in EMAIL_KINDS:
        raise ValueError(kind)
    event = (
        MembershipEvent.objects.select_related("membership__group", "membership__user")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return False
    group = event.membership.group
    context = {
        "group": group,
        "member": event.membership.user,
        "message": event.message,
        "requests_url": settings.SITE_URL + reverse("groups:requests", args=[group.slug]),
        "inside_url": settings.SITE_URL + reverse("groups:inside", args=[group.slug]),
    }
    queued = [
        notify(kind=NOTIFICATION_KINDS[kind], recipient=person, about=event, context=context)
        for person in _recipients(event, kind)
    ]
    return any(queued)


CONTACT_LOG_KEEP_DAYS = 365  # long enough to answer "who looked at my details?"
PURGE_BATCH = 5000


def contact_access_log_purge(*, keep_days: int = CONTACT_LOG_KEEP_DAYS) -> int:
    """Delete contact-access log rows older than `keep_days`, in batches; returns how many.

    Idempotent: a rerun (or a retried task) finds nothing old left and deletes nothing.
    """
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted = 0
    while True:
        ids = list(
            ContactAccessLog.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[
                :PURGE_BATCH
            ]
        )
        if not ids:
            return deleted
        deleted += ContactAccessLog.objects.filter(pk__in=ids).delete()[0]
