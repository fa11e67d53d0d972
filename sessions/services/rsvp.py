"""RSVP: going / not going, seats per mode, the waitlist and automatic promotion.

Every change locks the meeting row (`select_for_update`) before counting seats, so two
members pressing "going" at the same moment are served one after the other by PostgreSQL:
the meeting is never over capacity because of a race, and the waitlist keeps arrival order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import User
from members.notifications import notify
from peersupport.cache_scopes import renew_rows
from peersupport.errors import DomainError
from peersupport.reversing import reverse_token
from peersupport.signed import TokenSigner, json_object
from sessions.models import Meeting, Rsvp
from sessions.selectors.rsvp import rsvp_blocker, rsvp_closed_reason, seats_free, waitlist_next

LINK_SALT = "meetings.rsvp-link"
# One-click links in emails stay valid this long (and never after the meeting started).
LINK_MAX_AGE = datetime.timedelta(days=45)


def rsvp_mode_for(meeting: Meeting, mode: str = "") -> str:
    """The seat kind: hybrid meetings offer both; the others have one."""
    kinds = meeting.seat_kinds
    if len(kinds) == 1:
        return kinds[0]
    if mode not in kinds:
        raise DomainError(_("Please choose whether you will come in person or online."))
    return mode


def rsvp_open_check(meeting: Meeting, *, leaving: bool = False) -> None:
    """Refuse RSVPs to cancelled, past or closed meetings, with a message that says which."""
    reason = rsvp_closed_reason(meeting, leaving=leaving)
    if reason:
        raise DomainError(reason)


def _going_count(meeting: Meeting, mode: str) -> int:
    return Rsvp.objects.filter(meeting=meeting, status=Rsvp.Status.GOING, mode=mode).count()


def _has_free_seat(meeting: Meeting, mode: str) -> bool:
    return seats_free(limit=meeting.seat_limit(mode), going=_going_count(meeting, mode)) != 0


def _lock(meeting: Meeting) -> Meeting:
    """The row lock that serialises every seat decision for this meeting."""
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    )


@transaction.atomic
def rsvp_access_needs_set(*, meeting: Meeting, member, text: str) -> Rsvp:
    """Note (or clear) what the member needs to take part; only facilitators read it."""
    rsvp = Rsvp.objects.select_for_update().filter(meeting=meeting, user=member).first()
    if rsvp is None or not rsvp.is_holding:
        raise DomainError(_("Say you're going first, then tell the facilitators what helps."))
    rsvp.access_needs = text.strip()[:500]
    rsvp.save(update_fields=["access_needs", "updated_at"])
    return rsvp


@transaction.atomic
def rsvp_set(*, meeting: Meeting, member, status: str, mode: str = "") -> Rsvp:
    """Say going or not going. When full, "going" joins the waitlist (keeping a place already
    held); "not going" frees the seat and promotes the first person waiting for that kind."""
    if status not in (Rsvp.Status.GOING, Rsvp.Status.NOT_GOING):
        raise DomainError(_("Please choose going or not going."))
    meeting = _lock(meeting)
    rsvp_open_check(meeting, leaving=status == Rsvp.Status.NOT_GOING)
    current = Rsvp.objects.filter(meeting=meeting, user=member).first()
    if status == Rsvp.Status.NOT_GOING and current is not None:
        # Anyone holding a seat or a place in line may give it up, even on a break.
        return _leave(meeting=meeting, member=member, current=current)
    blocker = rsvp_blocker(member, meeting, leaving=status == Rsvp.Status.NOT_GOING)
    if blocker is not None:
        raise DomainError(blocker.message)
    if status == Rsvp.Status.NOT_GOING:
        return _leave(meeting=meeting, member=member, current=current)
    mode = rsvp_mode_for(meeting, mode or (current.mode if current else ""))
    if current and current.status != Rsvp.Status.NOT_GOING and current.mode == mode:
        return current  # Pressing "going" again changes nothing: the seat or place stays.
    freed = current.mode if current and current.status == Rsvp.Status.GOING else None
    rsvp = current or Rsvp(meeting=meeting, user=member)
    rsvp.mode, rsvp.promoted_at = mode, None
    if freed is not None:  # Switching kind: release the old seat before taking a new one.
        rsvp.status = Rsvp.Status.NOT_GOING
        rsvp.save()
    # Seats freed while nobody promoted yet (capacity just raised) go to those waiting first.
    rsvp_promote_waiting(meeting=meeting, mode=mode)
    if _has_free_seat(meeting, mode):
        rsvp.status, rsvp.waitlisted_at, rsvp.confirmed_at = Rsvp.Status.GOING, None, None
    else:
        rsvp.status, rsvp.waitlisted_at = Rsvp.Status.WAITLISTED, timezone.now()
    rsvp.save()
    if rsvp.status == Rsvp.Status.GOING:
        _send_confirmation(rsvp)
    if freed is not None:
        rsvp_promote_waiting(meeting=meeting, mode=freed)
    return rsvp


def _leave(*, meeting: Meeting, member, current: Rsvp | None) -> Rsvp:
    if current is None:
        return Rsvp.objects.create(meeting=meeting, user=member, status=Rsvp.Status.NOT_GOING)
    held_seat = current.status == Rsvp.Status.GOING
    current.status, current.waitlisted_at, current.promoted_at = Rsvp.Status.NOT_GOING, None, None
    current.access_needs = ""  # not coming: what they needed is no longer kept
    current.save()
    if held_seat:
        rsvp_promote_waiting(meeting=meeting, mode=current.mode)
    return current


def rsvp_promote_waiting(*, meeting: Meeting, mode: str) -> list[Rsvp]:
    """Fill free seats of one kind from the waitlist, first come first served, and tell
    each promoted member. Call with the meeting row locked."""
    waiting = Rsvp.objects.filter(meeting=meeting, status=Rsvp.Status.WAITLISTED, mode=mode)
    promoted = waitlist_next(
        waiting, limit=meeting.seat_limit(mode), going=_going_count(meeting, mode)
    )
    for rsvp in promoted:
        rsvp.meeting = meeting
        rsvp.status, rsvp.waitlisted_at = Rsvp.Status.GOING, None
        rsvp.promoted_at, rsvp.confirmed_at = timezone.now(), None
        rsvp.save()
        _send_promotion(rsvp)
    return promoted


@transaction.atomic
def rsvp_fill_seats(*, meeting_id: int) -> int:
    """After capacity went up: promote as many waiting members as there are new seats."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not meeting.is_open:
        return 0
    return sum(len(rsvp_promote_waiting(meeting=meeting, mode=mode)) for mode in Rsvp.Mode.values)


@transaction.atomic
def rsvp_move_to_waitlist(*, rsvp: Rsvp, by) -> Rsvp:
    """The facilitator's answer to "over capacity": this person waits, first in line.

    Nobody is ever dropped silently; the member keeps their place at the head of the line.
    """
    meeting = _lock(rsvp.meeting)
    rsvp = Rsvp.objects.get(pk=rsvp.pk)
    if rsvp.status != Rsvp.Status.GOING:
        raise DomainError(_("This person is not holding a seat."))
    first = Rsvp.objects.filter(
        meeting=meeting, status=Rsvp.Status.WAITLISTED, mode=rsvp.mode
    ).aggregate(first=Min("waitlisted_at"))["first"]
    now = timezone.now()
    rsvp.status = Rsvp.Status.WAITLISTED
    rsvp.waitlisted_at = min(first, now) - datetime.timedelta(microseconds=1) if first else now
    rsvp.save()
    return rsvp


MAX_CLOSING_HOURS = 14 * 24


@transaction.atomic
def rsvp_closing_set(*, meeting: Meeting, hours: int, by) -> Meeting:
    """When RSVPs close: `hours` before the start (0: at the start)."""
    meeting = _lock(meeting)
    if not meeting.is_open:
        raise DomainError(_("This meeting has taken place or was cancelled."))
    if not 0 <= hours <= MAX_CLOSING_HOURS:
        raise DomainError(_("Choose between 0 and 336 hours (two weeks)."))
    meeting.rsvp_closes_hours_before = hours
    meeting.save(update_fields=["rsvp_closes_hours_before", "updated_at"])
    return meeting


# --- Emails -----------------------------------------------------------------------------
def _send_confirmation(rsvp: Rsvp) -> None:
    rsvp_notify(rsvp=rsvp, kind="rsvp_confirmed")


def _send_promotion(rsvp: Rsvp) -> None:
    rsvp_notify(rsvp=rsvp, kind="waitlist_promoted")


def rsvp_notify(*, rsvp: Rsvp, kind: str) -> None:
    """`rsvp_confirmed` or `waitlist_promoted`, with the calendar invite attached.

    Called inside the transaction that gave the seat: the notification layer sends it after
    commit, once per key, and the key changes with every seat taken (not with retries).
    """
    # calendar -> selectors -> selectors_rsvp -> this module: imported on use.
    from sessions.services.calendar import meeting_attachment, meeting_email_context

    meeting, user = rsvp.meeting, rsvp.user
    now = timezone.now()
    notify(
        kind=kind,
        recipient=user,
        about=meeting,
        key=f"rsvp:{rsvp.pk}:{rsvp.updated_at.timestamp()}",
        context={
            **meeting_email_context(meeting=meeting, user=user),
            "mode_label": str(rsvp.get_mode_display()) if meeting.format == "hybrid" else "",
            "cant_make_it_url": rsvp_link_url(meeting=meeting, member=user, status="not_going"),
        },
        attachments=[meeting_attachment(meeting=meeting, user=user)],
    )
    Rsvp.objects.filter(pk=rsvp.pk).update(confirmed_at=now)
    renew_rows([rsvp])  # `.update()` sends no signal


@transaction.atomic
def rsvp_notify_changed(*, meeting_id: int, sequence: int) -> int:
    """`session_changed` with the updated invite to everyone going or waiting, once per
    change (the key is the invite's SEQUENCE). A newer change sends its own, so an older
    task does nothing. Returns how many were notified."""
    # calendar -> selectors -> selectors_rsvp -> this module: imported on use.
    from sessions.services.calendar import meeting_attachment, meeting_email_context

    meeting = Meeting.objects.select_related("group").filter(pk=meeting_id).first()
    if meeting is None or meeting.sequence != sequence:
        return 0
    if not meeting.is_open:
        return 0
    rsvps = Rsvp.objects.filter(
        meeting=meeting, status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED]
    ).select_related("user")
    for rsvp in rsvps:
        user = rsvp.user
        notify(
            kind="session_changed",
            recipient=user,
            about=meeting,
            key=f"sequence:{sequence}",
            context={
                **meeting_email_context(meeting=meeting, user=user),
                "waiting": rsvp.status == Rsvp.Status.WAITLISTED,
            },
            attachments=[meeting_attachment(meeting=meeting, user=user)],
        )
    return len(rsvps)


# --- Signed one-click links -------------------------------------------------------------
@dataclass(frozen=True)
class RsvpLink:
    meeting: Meeting
    member: object
    status: str


_link_signer = TokenSigner(LINK_SALT)


def rsvp_link_token(*, meeting: Meeting, member, status: str) -> str:
    """`signing.dumps({"m": meeting.pk, "u": member.pk, "s": status}, salt=LINK_SALT)`,
    written without building a signer per token (every reminder carries one)."""
    return _link_signer.dumps(json_object(m=meeting.pk, u=member.pk, s=status))


def rsvp_link_url(*, meeting: Meeting, member, status: str) -> str:
    """A link for emails (reminders too): opens a confirmation page, changes nothing by GET."""
    token = rsvp_link_token(meeting=meeting, member=member, status=status)
    return settings.SITE_URL + reverse_token("meetings:rsvp_link", token)


def rsvp_link_load(token: str) -> RsvpLink:
    """The meeting, member and answer a link stands for, or a DomainError saying why not."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            _("This link has expired. Please open the meeting page to change your RSVP.")
        ) from None
    except signing.BadSignature:
        raise DomainError(
            _("This link is not valid. Please open the meeting page to change your RSVP.")
        ) from None
    meeting = Meeting.objects.select_related("group").filter(pk=data.get("m")).first()
    member = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if meeting is None or member is None or data.get("s") not in Rsvp.Status.values:
        raise DomainError(_("This link is no longer valid."))
    return RsvpLink(meeting=meeting, member=member, status=data["s"])
