"""Celery tasks for RSVPs: each takes ids and calls one service.

Registered with the worker by the app's `ready()`.
"""

from __future__ import annotations

from peersupport.tasks import email_task
from sessions.services import rsvp


@email_task
def fill_free_seats(meeting_id: int) -> int:
    """Capacity went up: promote waiting members into the new seats."""
    return rsvp.rsvp_fill_seats(meeting_id=meeting_id)


@email_task
def send_meeting_changed(meeting_id: int, sequence: int) -> int:
    """The meeting moved or changed: updated invites for the people going and waiting."""
    return rsvp.rsvp_notify_changed(meeting_id=meeting_id, sequence=sequence)
