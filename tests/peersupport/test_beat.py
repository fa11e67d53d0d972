"""The beat schedule names tasks the worker knows: moving a task to another app's module
must move its beat entry too (the database scheduler updates stored rows by entry name)."""

from __future__ import annotations

from django.conf import settings

from peersupport.celery import app


def test_every_beat_entry_names_a_registered_task():
    registered = set(app.tasks)
    missing = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in registered
    }
    assert missing == {}


def test_meeting_reminders_and_the_digest_run_from_the_meetings_app():
    tasks = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert tasks["notifications-reminders"] == "sessions.tasks.send_due_reminders"
    assert tasks["notifications-checkin-surveys"] == "sessions.tasks.send_checkin_invitations"
    assert tasks["notifications-digest-weekly"] == "sessions.tasks.send_facilitator_digests"
    assert tasks["notifications-sweep"] == "members.tasks.requeue_stale_notifications"
