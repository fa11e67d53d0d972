"""Celery tasks of the meetings app: each takes ids and calls one service."""

from __future__ import annotations

from celery import shared_task

from peersupport.tasks import email_task
from sessions import digest, reminders
from sessions.services import meetings, recurrence
from sessions.services.series import series_send_cancelled, series_send_changed


@email_task
def send_meeting_cancelled(meeting_id: int) -> int:
    return meetings.meeting_send_cancelled(meeting_id=meeting_id)


@shared_task
def extend_meeting_series() -> int:
    """Daily: create the next weeks' meetings of every repeating series."""
    return recurrence.series_extend_due()


@shared_task
def purge_expired_meeting_notes() -> int:
    """Daily: delete facilitator notes past their organisation's retention period."""
    return meetings.notes_purge_expired()


@email_task
def send_series_cancelled(series_id: int, from_date: str, meeting_ids: list[int]) -> int:
    return series_send_cancelled(series_id=series_id, from_date=from_date, meeting_ids=meeting_ids)


@email_task
def send_series_changed(series_id: int, meeting_ids: list[int], sequence: int) -> int:
    return series_send_changed(series_id=series_id, meeting_ids=meeting_ids, sequence=sequence)


# --- Emails about meetings: reminders, check-in invitations, the facilitator digest ----------
@shared_task
def send_due_reminders() -> int:
    """Every few minutes: fan out the meeting reminders whose time has come."""
    return reminders.reminders_send_due()


@shared_task
def send_checkin_invitations() -> int:
    """Every 15 minutes: invite attendees of meetings that ended to the check-in survey."""
    return reminders.checkin_invitations_due()


@shared_task
def send_facilitator_digests(frequency: str) -> int:
    """Daily and on Mondays: each facilitator's digest of their groups."""
    return digest.digests_send(frequency=frequency)
