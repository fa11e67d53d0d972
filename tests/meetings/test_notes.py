"""Facilitator notes: private to the group's facilitators, purged after the retention period."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from sessions.models import MeetingNote
from sessions.services.meetings import notes_purge_expired
from sessions.tasks import purge_expired_meeting_notes
from tests.factories import MeetingFactory, OrganisationFactory, PeerGroupFactory


def notes_url(meeting) -> str:
    return reverse("meetings:notes", args=[meeting.pk])


def test_facilitator_adds_a_note_and_sees_the_reminder(world, client_for, facilitator):
    client = client_for(facilitator)
    page = client.get(notes_url(world.meeting)).content.decode()
    assert "Please don&#x27;t name members" in page or "Please don't name members" in page
    assert "deleted automatically after 90 days" in page
    assert "No notes for this meeting yet." in page
    response = client.post(
        notes_url(world.meeting), {"text": "Theme: sleep. Follow up on room booking."}, follow=True
    )
    text = response.content.decode()
    assert "Your note is saved." in text
    assert "Follow up on room booking." in text
    assert MeetingNote.objects.get().author == facilitator


def test_empty_note_is_refused(world, client_for, facilitator):
    response = client_for(facilitator).post(notes_url(world.meeting), {"text": "   "})
    assert response.status_code == 200
    assert not MeetingNote.objects.exists()


def test_notes_are_hidden_from_members_and_organizers(world, client_for):
    MeetingNote.objects.create(meeting=world.meeting, text="Private theme")
    for role in ["member", "organizer", "on_break", "staff", "other_member"]:
        response = client_for(world.users[role]).get(notes_url(world.meeting))
        assert response.status_code == 404, role
    meeting_page = client_for(world.users["member"]).get(world.meeting.get_absolute_url())
    assert "Private theme" not in meeting_page.content.decode()


def _note(meeting, days_old: int) -> MeetingNote:
    return MeetingNote.objects.create(
        meeting=meeting,
        text=f"{days_old} days old",
        created_at=timezone.now() - datetime.timedelta(days=days_old),
    )


def test_purge_deletes_notes_past_each_organisations_retention(db):
    short = MeetingFactory(group=PeerGroupFactory(organisation=OrganisationFactory(
        notes_retention_days=30)))  # fmt: skip
    long = MeetingFactory(group=PeerGroupFactory(organisation=OrganisationFactory(
        notes_retention_days=365)))  # fmt: skip
    _note(short, 31)
    kept_short = _note(short, 29)
    kept_long = _note(long, 200)
    _note(long, 400)
    assert notes_purge_expired() == 2
    assert set(MeetingNote.objects.all()) == {kept_short, kept_long}
    assert notes_purge_expired() == 0


def test_purge_task_runs_the_purge(db):
    meeting = MeetingFactory()
    _note(meeting, 1000)
    assert purge_expired_meeting_notes.delay().get() == 1
    assert not MeetingNote.objects.exists()
