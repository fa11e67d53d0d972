"""Sending a gentle check-in to a member who seems to have drifted away."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import PeerGroup
from groups.services.personal_message import personal_message_clean
from members.models import User
from members.notifications import notification_undeliverable, notify
from peersupport.errors import DomainError
from sessions.models import GentleCheckin
from sessions.selectors.disengagement import disengaged_member

MESSAGE_MAX_LENGTH = 1000


def gentle_checkin_default_message(*, member_name: str, sender_name: str) -> str:
    """The kind default the facilitator starts from and may edit."""
    return _(
        "Hi %(member)s, we've missed you at the group lately and I wanted to say hello. "
        "There's no pressure at all: you're welcome back whenever it suits you, and you can "
        "take a break from your group page if that's what you need. Take care, %(sender)s"
    ) % {"member": member_name, "sender": sender_name}


@dataclass(frozen=True)
class CheckinResult:
    checkin: GentleCheckin
    created: bool  # False: one was already sent today, nothing new went out


def gentle_checkin_send(
    *, group: PeerGroup, member_id: int, by: User, message: str
) -> CheckinResult:
    """Record a gentle check-in and send it through the notification layer, once a day.

    Only to a member who is on the group's disengagement list right now (one who went on
    a break meanwhile is not written to). A double submit, or a second facilitator on the
    same day, finds today's record and sends nothing. The words travel in the email only;
    the record keeps who and when.
    """
    message = personal_message_clean(message, max_length=MESSAGE_MAX_LENGTH)
    listed = disengaged_member(group, member_id)
    if listed is None:
        raise DomainError(
            _("This member is no longer on the list (they may have taken a break or come back).")
        )
    today = timezone.now().date()
    try:
        with transaction.atomic():
            checkin, created = GentleCheckin.objects.get_or_create(
                group=group, member_id=member_id, sent_on=today, defaults={"sent_by": by}
            )
            if created:
                # Whether it can reach them is the notification layer's answer (turned
                # off, no confirmed address, bounced): the page then says so honestly
                # instead of "on its way".
                reason = notification_undeliverable(user=checkin.member, kind="gentle_checkin")
                emailed = not reason and notify(
                    kind="gentle_checkin",
                    recipient=checkin.member,
                    about=checkin,
                    context={"sender": by, "message": message, "group": group},
                )
                if not emailed:
                    checkin.emailed = False
                    checkin.not_sent_reason = reason or "muted"
                    checkin.save(update_fields=["emailed", "not_sent_reason"])
    except IntegrityError:
        # Two submits at the same moment: the other one sent it.
        checkin = GentleCheckin.objects.get(group=group, member_id=member_id, sent_on=today)
        created = False
    return CheckinResult(checkin=checkin, created=created)
