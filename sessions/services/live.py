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

from peersupport.errors import DomainError
from sessions.models import Attendance, Meeting
from sessions.services.attendance import attendance_mark, attendance_unmark

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


@transaction.atomic
def live_checkin(*, meeting: Meeting, user, present: bool, by) -> Meeting:
    """Mark someone present (or undo it); a speaking order in use gains or loses them.

    The mark itself goes through the attendance service, the one write for attendance.
    """
    locked = _locked(meeting)
    order = list(locked.speaking_order)
    if present:
        attendance_mark(meeting=locked, member=user, status=Attendance.Status.PRESENT, by=by)
        if order and not any(entry["user"] == user.pk for entry in order):
            order.append({"user": user.pk, "status": WAITING})
    else:
        attendance_unmark(meeting=locked, member=user)
        # Only people still waiting leave the order: who already spoke stays in the record.
        order = [
            entry
            for index, entry in enumerate(order)
            if not (entry["user"] == user.pk and index >= locked.speaking_position)
        ]
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
