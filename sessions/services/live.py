"""Writes for the live meeting view: the current agenda item, attendance, speaking order.

All state lives on the Meeting row (and Attendance rows), so a reload, or a second phone
held by the timekeeper, carries on where the facilitator is. Each action locks the row so
two people pressing "next" at once move one item, not two.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership
from peersupport.errors import DomainError
from sessions.models import Attendance, Meeting

WAITING, SPOKE, PASSED = "waiting", "spoke", "passed"
SPEAKER_ACTIONS = ("shuffle", "next", "pass", "skip")


def _locked(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status == Meeting.Status.CANCELLED:
        raise DomainError(_("This meeting is cancelled."))
    return locked


def _save(meeting: Meeting, *fields: str) -> Meeting:
    meeting.save(update_fields=[*fields, "updated_at"])
    return meeting


@transaction.atomic
def live_start(*, meeting: Meeting) -> Meeting:
    """Start the clock on the first agenda item; starting twice changes nothing."""
    locked = _locked(meeting)
    if locked.live_started_at is not None:
        return locked
    now = timezone.now()
    locked.live_started_at, locked.live_item, locked.live_item_started_at = now, 0, now
    return _save(locked, "live_started_at", "live_item", "live_item_started_at")


@transaction.atomic
def live_step(*, meeting: Meeting, step: int) -> Meeting:
    """Go to the next (+1) or previous (-1) agenda item; past the last item the agenda is done.

    The item's clock restarts from now, so the countdown shows that item's own minutes.
    """
    locked = _locked(meeting)
    if locked.live_started_at is None:
        raise DomainError(_("Start the meeting first."))
    count = locked.agenda_items.count()
    target = min(max(locked.live_item + step, 0), count)
    if target != locked.live_item:
        locked.live_item, locked.live_item_started_at = target, timezone.now()
        _save(locked, "live_item", "live_item_started_at")
    return locked


def _check_person(meeting: Meeting, user) -> None:
    inside = Membership.objects.filter(
        group_id=meeting.group_id,
        user=user,
        status__in=[Membership.Status.ACTIVE, Membership.Status.ON_BREAK],
    ).exists()
    if not inside:
        raise DomainError(_("Only members of the group can be checked in."))


@transaction.atomic
def live_checkin(*, meeting: Meeting, user, present: bool, by) -> Meeting:
    """Mark someone present (or undo it); a speaking order in use gains or loses them."""
    locked = _locked(meeting)
    _check_person(locked, user)
    order = list(locked.speaking_order)
    listed = any(entry["user"] == user.pk for entry in order)
    if present:
        Attendance.objects.update_or_create(
            meeting=locked,
            user=user,
            defaults={
                "status": Attendance.Status.PRESENT,
                "marked_by": by,
                "marked_at": timezone.now(),
            },
        )
        if order and not listed:
            order.append({"user": user.pk, "status": WAITING})
    else:
        Attendance.objects.filter(
            meeting=locked, user=user, status=Attendance.Status.PRESENT
        ).delete()
        # Only people still waiting leave the order: who already spoke stays in the record.
        keep = [
            entry
            for index, entry in enumerate(order)
            if not (entry["user"] == user.pk and index >= locked.speaking_position)
        ]
        order = keep
    locked.speaking_order = order
    locked.speaking_position = min(locked.speaking_position, len(order))
    return _save(locked, "speaking_order", "speaking_position")


@transaction.atomic
def live_speakers(*, meeting: Meeting, action: str) -> Meeting:
    """Round-robin: shuffle those present, or move on (next), pass or skip the current one.

    Skip sends the current person to the end of the order (they are asked again later);
    pass records that they chose not to speak this round.
    """
    if action not in SPEAKER_ACTIONS:
        raise DomainError(_("That is not something the speaking order can do."))
    locked = _locked(meeting)
    order, position = list(locked.speaking_order), locked.speaking_position
    if action == "shuffle":
        present = list(
            Attendance.objects.filter(meeting=locked, status=Attendance.Status.PRESENT).values_list(
                "user_id", flat=True
            )
        )
        if not present:
            raise DomainError(_("Check people in first: the order is made from those present."))
        random.SystemRandom().shuffle(present)
        order, position = [{"user": pk, "status": WAITING} for pk in present], 0
    elif position >= len(order):
        raise DomainError(_("Everyone has had their turn. Shuffle to start a new round."))
    elif action == "skip":
        order.append(order.pop(position))
    else:
        order[position] = {**order[position], "status": SPOKE if action == "next" else PASSED}
        position += 1
    locked.speaking_order, locked.speaking_position = order, position
    return _save(locked, "speaking_order", "speaking_position")
