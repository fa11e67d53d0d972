"""Community events: an organisation's public events and workshops, open to any account.

Seats follow the meetings' rule: the event row is locked before seats are counted, a full
event puts "going" on the waitlist, and a freed seat goes to the first person waiting.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Organisation
from members.notifications import notify
from peersupport.errors import DomainError
from sessions.models import CommunityEvent, EventRsvp, Rsvp
from sessions.selectors.rsvp import place_in_line, seats_free, waitlist_next
from sessions.services import recurrence
from sessions.services.calendar import events_ics

GOING, NOT_GOING, WAITLISTED = Rsvp.Status.GOING, Rsvp.Status.NOT_GOING, Rsvp.Status.WAITLISTED


@transaction.atomic
def event_create(
    *,
    organisation: Organisation,
    by,
    title: str,
    day: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    time_zone: str,
    capacity: int,
    description: str = "",
    place: str = "",
    online_link: str = "",
) -> CommunityEvent:
    """Publish a public event at local `day` `start_time` in `time_zone`."""
    title = title.strip()
    if not title:
        raise DomainError(_("Please give the event a title."))
    if duration_minutes <= 0:
        raise DomainError(_("An event must end after it starts."))
    if capacity < 1:
        raise DomainError(_("An event needs at least one seat."))
    starts = recurrence.local_to_aware(day, start_time, time_zone)
    if starts <= timezone.now():
        raise DomainError(_("Choose a time in the future."))
    return CommunityEvent.objects.create(
        organisation=organisation,
        title=title,
        description=description.strip(),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=duration_minutes),
        time_zone=time_zone,
        place=place.strip(),
        online_link=online_link.strip(),
        capacity=capacity,
        created_by=by,
    )


@transaction.atomic
def event_cancel(*, event: CommunityEvent, by) -> CommunityEvent:
    """Cancel: the public feed keeps the entry marked cancelled so calendars drop it."""
    event = CommunityEvent.objects.select_for_update().get(pk=event.pk)
    if event.status == CommunityEvent.Status.CANCELLED:
        raise DomainError(_("This event is already cancelled."))
    if event.starts_at <= timezone.now():
        raise DomainError(_("This event has already started or taken place."))
    event.status = CommunityEvent.Status.CANCELLED
    event.sequence = F("sequence") + 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    event.refresh_from_db()
    return event


def _going(event: CommunityEvent) -> int:
    return EventRsvp.objects.filter(event=event, status=GOING).count()


@transaction.atomic
def event_rsvp_set(*, event: CommunityEvent, user, going: bool) -> EventRsvp:
    """Going (or the waitlist when full) / not going; a freed seat promotes the next one."""
    event = CommunityEvent.objects.select_for_update().get(pk=event.pk)
    if event.status == CommunityEvent.Status.CANCELLED:
        raise DomainError(_("This event was cancelled."))
    if event.starts_at <= timezone.now():
        raise DomainError(_("This event has already started or taken place."))
    rsvp = EventRsvp.objects.filter(event=event, user=user).first() or EventRsvp(
        event=event, user=user, status=NOT_GOING
    )
    if going:
        if rsvp.status in (GOING, WAITLISTED):
            return rsvp
        if seats_free(limit=event.capacity, going=_going(event)):
            rsvp.status, rsvp.waitlisted_at = GOING, None
        else:
            rsvp.status, rsvp.waitlisted_at = WAITLISTED, timezone.now()
        rsvp.save()
        return rsvp
    held = rsvp.status == GOING
    rsvp.status, rsvp.waitlisted_at = NOT_GOING, None
    rsvp.save()
    if held:
        _promote(event)
    return rsvp


def _promote(event: CommunityEvent) -> None:
    waiting = EventRsvp.objects.filter(event=event, status=WAITLISTED)
    for rsvp in waitlist_next(waiting, limit=event.capacity, going=_going(event)):
        rsvp.status, rsvp.waitlisted_at = GOING, None
        rsvp.event = event
        rsvp.save()
        event_rsvp_notify_promoted(rsvp=rsvp)


def event_waitlist_position(rsvp: EventRsvp) -> int | None:
    return place_in_line(rsvp, EventRsvp.objects.filter(event_id=rsvp.event_id, status=WAITLISTED))


def event_rsvp_notify_promoted(*, rsvp: EventRsvp) -> None:
    """Tell someone they got a seat at a public event (sent after commit, once per key)."""

    event = rsvp.event
    notify(
        kind="waitlist_promoted",
        recipient=rsvp.user,
        about=event,
        key=f"event:{rsvp.pk}:{rsvp.updated_at.timestamp()}",
        context={
            "title": event.title,
            "when": event.starts_at,
            "zone": rsvp.user.time_zone,
            "mode_label": "",
            "meeting_url": settings.SITE_URL + event.get_absolute_url(),
            "cant_make_it_url": settings.SITE_URL + event.get_absolute_url(),
        },
        attachments=[
            (
                "event.ics",
                events_ics(events=[event], name=event.organisation.name, method="REQUEST"),
                "text/calendar; method=REQUEST; charset=utf-8",
            )
        ],
    )
