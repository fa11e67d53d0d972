"""The group's choice of who sees a meeting's place and link: signed members, or only
signed members who said they're going. One rule decides it for the page and the feed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sessions.services import calendar as calendar_services
from sessions.services.rsvp import rsvp_set

pytestmark = pytest.mark.django_db

PLACE = "Room 4, Harbour Community Centre"


def _only_those_going(world):
    world.group.reveal_location_to = "going"
    world.group.save()


def _feed(client, user) -> str:
    feed = calendar_services.calendar_feed_get_or_create(user=user)
    return client.get(reverse("meetings:feed", args=[feed.token])).content.decode()


def test_signed_members_see_the_place_by_default(world, client_for, member):
    page = client_for(member).get(world.meeting.get_absolute_url()).content.decode()
    assert PLACE in page


def test_only_going_hides_the_place_until_the_member_says_going(world, client_for, member):
    _only_those_going(world)
    client = client_for(member)
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert PLACE not in page
    assert "shown once you say you're going" in page
    assert PLACE not in _feed(client, member)
    rsvp_set(meeting=world.meeting, member=member, status="going", mode="in_person")
    assert PLACE in client.get(world.meeting.get_absolute_url()).content.decode()
    # The feed (cached with caches on) shows it too once the member said going.
    assert "Room 4" in _feed(client, member)
    rsvp_set(meeting=world.meeting, member=member, status="not_going")
    assert PLACE not in client.get(world.meeting.get_absolute_url()).content.decode()
    assert "Room 4" not in _feed(client, member)


def test_only_going_never_hides_the_place_from_the_facilitator(world, client_for, facilitator):
    _only_those_going(world)
    page = client_for(facilitator).get(world.meeting.get_absolute_url()).content.decode()
    assert PLACE in page


def test_group_edit_form_offers_the_choice(world, client_for, organizer):
    page = client_for(organizer).get(reverse("groups:edit", args=[world.group.slug]))
    assert "signed the agreement and said they" in page.content.decode()
