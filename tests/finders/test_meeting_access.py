"""A meeting records its own access when it differs from the group's; a series passes it on
to every meeting it creates; the meeting page shows it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Meeting
from sessions.services.meetings import MeetingDetails, Recurrence, series_create

pytestmark = pytest.mark.django_db


def test_meeting_page_shows_the_group_access_unless_the_meeting_has_its_own(world, client_for):
    group = world.group
    group.access_features = ["step_free"]
    group.save()
    client = client_for(world.users["member"])
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert "Step-free access" in page
    world.meeting.access_features = ["captions", "quiet_room"]
    world.meeting.save()
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert "Captions, Quiet room" in page and "Step-free access" not in page


def test_facilitator_sets_a_meetings_access_in_the_edit_form(world, client_for):
    meeting = world.meeting
    client = client_for(world.users["facilitator"])
    url = reverse("meetings:edit", args=[meeting.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        date=form.initial["date"].isoformat(),
        start_time=form.initial["start_time"].strftime("%H:%M"),
        end_time=form.initial["end_time"].strftime("%H:%M"),
        access_features=["hearing_loop"],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.access_features == ["hearing_loop"]


def test_a_series_gives_its_access_to_every_meeting(world):
    start = timezone.localdate() + datetime.timedelta(days=2)
    series = series_create(
        group=world.group,
        by=world.users["facilitator"],
        start_date=start,
        start_time=datetime.time(18, 0),
        duration_minutes=60,
        rule=Recurrence(frequency="weekly", count=3),
        details=MeetingDetails(access_features=("sign_language",)),
    )
    meetings = Meeting.objects.filter(series=series)
    assert meetings.count() == 3
    assert all(m.access_features == ["sign_language"] for m in meetings)
