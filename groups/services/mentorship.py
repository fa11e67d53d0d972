"""Writes about mentoring: who is willing, pairing a newcomer with a mentor, their messages,
and ending a pairing (also when either person leaves the group)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership, Mentorship, PeerGroup
from groups.services.personal_message import personal_message_clean
from groups.services.stamps import stamp_once
from peersupport.errors import DomainError

Status = Membership.Status


def mentorships_end_for(membership: Membership) -> None:
    """End the current pairings of this person in this group (they left or were removed)."""
    person = Q(mentor_id=membership.user_id) | Q(mentee_id=membership.user_id)
    Mentorship.objects.filter(person, group_id=membership.group_id, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )


@transaction.atomic
def mentor_willing_set(*, membership: Membership, willing: bool) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.willing_to_mentor = willing
    membership.save(update_fields=["willing_to_mentor", "updated_at"])
    return membership


@transaction.atomic
def mentorship_pair(*, group: PeerGroup, mentor, mentee, actor) -> Mentorship:
    """Pair a newcomer with a willing active member of the same group."""
    people = {
        m.user_id: m
        for m in Membership.objects.select_for_update().filter(
            group=group, user__in=[mentor, mentee], status=Status.ACTIVE
        )
    }
    if mentor == mentee:
        raise DomainError(_("Please choose two different people."))
    if mentee.pk not in people:
        raise DomainError(_("The newcomer must be an active member of the group."))
    if mentor.pk not in people or not people[mentor.pk].willing_to_mentor:
        raise DomainError(_("The mentor must be an active member who offered to mentor."))
    if Mentorship.objects.filter(group=group, mentee=mentee, ended_at__isnull=True).exists():
        raise DomainError(_("This newcomer already has a mentor. End that pairing first."))
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(
                group=group, mentor=mentor, mentee=mentee, paired_by=actor
            )
    except IntegrityError:
        raise DomainError(_("This newcomer already has a mentor.")) from None
    _notify_paired(mentorship)
    return mentorship


def _notify_paired(mentorship: Mentorship) -> None:
    """Both people hear of the pairing by email, with the way to write to each other."""
    from members.notifications import notify

    inside_url = settings.SITE_URL + reverse("groups:inside", args=[mentorship.group.slug])
    message_url = settings.SITE_URL + reverse(
        "groups:mentorship_message", args=[mentorship.group.slug, mentorship.pk]
    )
    for recipient, role, other in (
        (mentorship.mentor, "mentor", mentorship.mentee),
        (mentorship.mentee, "mentee", mentorship.mentor),
    ):
        notify(
            kind="mentorship_paired",
            recipient=recipient,
            about=mentorship,
            key=role,
            context={
                "role": role,
                "other_name": other.display_name,
                "group": mentorship.group,
                "inside_url": inside_url,
                "message_url": message_url,
            },
        )


MENTOR_MESSAGE_MAX_LENGTH = 2000


@transaction.atomic
def mentorship_message_send(*, mentorship: Mentorship, sender, text: str) -> bool:
    """Email the other person of a pairing through the notification layer.

    Neither sees the other's email address: the message comes from the site, and the
    answer goes through the same form. The words are kept only until the email is sent.
    Returns False when the other person turned these emails off (the page says so).
    """
    from members.notifications import notify

    text = personal_message_clean(text, max_length=MENTOR_MESSAGE_MAX_LENGTH)
    mentorship = Mentorship.objects.select_related("group", "mentor", "mentee").get(
        pk=mentorship.pk
    )
    if mentorship.ended_at is not None:
        raise DomainError(_("This pairing has ended."))
    if sender.pk == mentorship.mentee_id:
        recipient, sender_role = mentorship.mentor, "mentee"
    elif sender.pk == mentorship.mentor_id:
        recipient, sender_role = mentorship.mentee, "mentor"
    else:
        raise DomainError(_("Only the two people of a pairing can write to each other here."))
    reply_url = settings.SITE_URL + reverse(
        "groups:mentorship_message", args=[mentorship.group.slug, mentorship.pk]
    )
    return notify(
        kind="mentor_message",
        recipient=recipient,
        about=mentorship,
        key=uuid.uuid4().hex,
        context={
            "sender_name": sender.display_name,
            "sender_role": sender_role,
            "message": text,
            "group": mentorship.group,
            "reply_url": reply_url,
        },
    )


@transaction.atomic
def mentorship_end(*, mentorship: Mentorship) -> Mentorship:
    return stamp_once(mentorship, "ended_at")
