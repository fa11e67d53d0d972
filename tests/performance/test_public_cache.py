"""Public pages are cached for visitors, and an edit shows at once (groups/cache.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import CommunityEvent
from tests.factories import MeetingFactory, MembershipFactory, PeerGroupFactory, UserFactory
from tests.support import max_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_cache_on")]


@pytest.fixture
def public_cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 300


@pytest.fixture
def group():
    return PeerGroupFactory(name="Harbour Circle", slug="harbour-circle", max_members=2)


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_directory_second_visit_comes_from_the_cache(client, group):
    url = reverse("groups:directory") + "?topic=anxiety"
    assert "Harbour Circle" in _text(client, url)
    with max_queries(0):
        assert "Harbour Circle" in _text(client, url)


def test_directory_shows_a_renamed_group_at_once(client, group, django_capture_on_commit_callbacks):
    url = reverse("groups:directory")
    assert "Harbour Circle" in _text(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        group.name = "Lighthouse Circle"
        group.save()
    page = _text(client, url)
    assert "Lighthouse Circle" in page and "Harbour Circle" not in page


def test_directory_drops_a_group_made_private_at_once(
    client, group, django_capture_on_commit_callbacks
):
    url = reverse("groups:directory")
    assert "Harbour Circle" in _text(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        group.visibility = "private"
        group.save()
    assert "Harbour Circle" not in _text(client, url)
    assert client.get(group.get_absolute_url()).status_code == 404


def test_landing_page_shows_a_new_next_meeting_and_a_full_group_at_once(
    client, group, django_capture_on_commit_callbacks
):
    url = group.get_absolute_url()
    starts = (timezone.now() + datetime.timedelta(days=2)).replace(
        hour=18, minute=15, second=0, microsecond=0
    )
    assert starts.strftime("%Y-%m-%dT%H:%M") not in _text(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(group=group, starts_at=starts)
    assert starts.strftime("%Y-%m-%dT%H:%M") in _text(client, url)
    # Two active members reach the group's limit of two: the landing page says it is full.
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory.create_batch(2, group=group)
    assert "This group is full just now" in _text(client, url)


def test_signed_in_people_never_get_the_visitors_copy(client, group):
    url = reverse("groups:directory")
    assert "Sign out" not in _text(client, url)  # cached for visitors
    member = UserFactory(display_name="Robin")
    client.force_login(member)
    assert "Sign out" in _text(client, url)
    client.logout()
    # ...and what a signed-in person saw is never handed to a visitor either.
    client.cookies.clear()
    assert "Sign out" not in _text(client, url)


def test_organisation_feed_shows_a_new_event_at_once(
    client, group, django_capture_on_commit_callbacks
):
    url = reverse("meetings:organisation_feed", args=[group.organisation.slug])
    assert "Open evening" not in _text(client, url)
    starts = timezone.now() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        CommunityEvent.objects.create(
            organisation=group.organisation,
            title="Open evening",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            time_zone="Europe/London",
            capacity=30,
        )
    response = client.get(url)
    assert "Open evening" in response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
