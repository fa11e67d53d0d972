"""Community events: organizers publish, anyone signed in RSVPs, a shared public calendar."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from sessions.models import EventRsvp
from sessions.services import events as services
from tests.factories import UserFactory
from tests.support import assert_constant_queries

pytestmark = pytest.mark.django_db


def _event(world, capacity=2, title="Open evening"):
    return services.event_create(
        organisation=world.organisation,
        by=world.users["organizer"],
        title=title,
        day=datetime.date.today() + datetime.timedelta(days=14),
        start_time=datetime.time(18, 30),
        duration_minutes=90,
        time_zone="Europe/London",
        capacity=capacity,
        place="Harbour Library, Hall B",
    )


def test_organizer_publishes_event_from_the_form(world, client_for):
    client = client_for(world.users["organizer"])
    url = reverse("meetings:event_create", args=[world.organisation.slug])
    day = datetime.date.today() + datetime.timedelta(days=20)
    response = client.post(
        url,
        {
            "title": "Workshop: listening well",
            "date": day.isoformat(),
            "start_time": "10:00",
            "duration_minutes": 120,
            "time_zone": "Europe/London",
            "capacity": 25,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The event is published" in page
    assert "0 of 25 taken, 25 left" in page
    calendar = client.get(
        reverse("meetings:organisation_calendar", args=[world.organisation.slug])
    ).content.decode()
    assert "Workshop: listening well" in calendar


def test_event_create_refused_for_members_and_other_organizers(world, client_for):
    url = reverse("meetings:event_create", args=[world.organisation.slug])
    for role in ("member", "facilitator", "other_organizer"):
        assert client_for(world.users[role]).get(url).status_code == 404


def test_anyone_signed_in_rsvps_and_waitlist_is_promoted(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    event = _event(world, capacity=1)
    stranger, second = UserFactory(), UserFactory()
    client = client_for(stranger)
    url = reverse("meetings:event_rsvp", args=[event.pk])
    page = client.post(url, {"status": "going"}, follow=True).content.decode()
    assert "See you there" in page and "1 of 1 taken, 0 left" in page
    client = client_for(second)
    page = client.post(url, {"status": "going"}, follow=True).content.decode()
    assert "waitlist (number 1)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client_for(stranger).post(url, {"status": "not_going"})
    assert EventRsvp.objects.get(event=event, user=second).status == "going"
    assert [m.to for m in mailoutbox] == [[second.email]]


def test_event_page_public_and_asks_visitors_to_sign_in(world, client):
    event = _event(world)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Harbour Library, Hall B" in page
    assert "Sign in to RSVP" in page
    response = client.post(reverse("meetings:event_rsvp", args=[event.pk]), {"status": "going"})
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_cancelled_event_refuses_rsvp_and_feed_says_cancelled(world, client_for):
    event = _event(world)
    services.event_cancel(event=event, by=world.users["organizer"])
    client = client_for(world.users["outsider"])
    page = client.post(
        reverse("meetings:event_rsvp", args=[event.pk]), {"status": "going"}, follow=True
    ).content.decode()
    assert "This event was cancelled" in page
    feed = client.get(reverse("meetings:organisation_feed", args=[world.organisation.slug]))
    assert b"STATUS:CANCELLED" in feed.content
    assert b"SEQUENCE:1" in feed.content


def test_organisation_calendar_queries_constant(world, client):
    _event(world)
    url = reverse("meetings:organisation_calendar", args=[world.organisation.slug])

    def grow():
        for n in range(5):
            _event(world, title=f"Event {n}")

    assert_constant_queries(lambda: client.get(url), grow, limit=10)


def test_organisation_calendar_empty_state(world, client):
    page = client.get(
        reverse("meetings:organisation_calendar", args=[world.other_organisation.slug])
    ).content.decode()
    assert "No upcoming events right now" in page


def test_event_rsvp_with_nonsense_answer_changes_nothing(world, client_for):
    event = _event(world)
    client = client_for(world.users["outsider"])
    page = client.post(
        reverse("meetings:event_rsvp", args=[event.pk]), {"status": "maybe"}, follow=True
    ).content.decode()
    assert "Please choose whether you" in page
    assert not EventRsvp.objects.filter(event=event).exists()
