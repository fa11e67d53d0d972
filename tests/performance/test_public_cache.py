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


# --- A visitor's request needs no query, and the permission check still sees every edit --
def test_landing_page_second_visit_runs_no_query(client, group, django_assert_num_queries):
    url = group.get_absolute_url()
    assert "Harbour Circle" in _text(client, url)
    with django_assert_num_queries(0):
        page = _text(client, url)
    assert "Harbour Circle" in page and group.organisation.name in page


def test_organisation_feed_second_visit_runs_no_query(client, group, django_assert_num_queries):
    url = reverse("meetings:organisation_feed", args=[group.organisation.slug])
    assert group.organisation.name in _text(client, url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert group.organisation.name in response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")


def test_landing_page_of_a_group_made_private_is_gone_at_once(
    client, group, django_capture_on_commit_callbacks
):
    url = group.get_absolute_url()
    assert "Harbour Circle" in _text(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        group.visibility = "private"
        group.save()
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404  # and stays gone once that answer was built


def test_landing_page_of_a_group_made_unlisted_asks_search_engines_to_skip_it_at_once(
    client, group, django_capture_on_commit_callbacks
):
    url = group.get_absolute_url()
    assert "noindex" not in _text(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        group.visibility = "unlisted"
        group.save()
    assert '<meta name="robots" content="noindex">' in _text(client, url)


def test_landing_page_follows_a_new_slug_at_once(client, group, django_capture_on_commit_callbacks):
    old_url = group.get_absolute_url()
    assert "Harbour Circle" in _text(client, old_url)
    with django_capture_on_commit_callbacks(execute=True):
        group.slug = "lighthouse-circle"
        group.save()
    assert client.get(old_url).status_code == 404
    assert "Harbour Circle" in _text(client, "/groups/lighthouse-circle/")


def test_an_old_slug_taken_by_another_group_shows_that_group_at_once(
    client, group, django_capture_on_commit_callbacks
):
    url = group.get_absolute_url()
    assert "Harbour Circle" in _text(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        group.slug = "harbour-circle-old"
        group.save()
        PeerGroupFactory(name="Quayside Circle", slug="harbour-circle")
    page = _text(client, url)
    assert "Quayside Circle" in page and "Harbour Circle" not in page


def test_landing_page_and_feed_show_a_renamed_organisation_at_once(
    client, group, django_capture_on_commit_callbacks
):
    landing = group.get_absolute_url()
    feed = reverse("meetings:organisation_feed", args=[group.organisation.slug])
    old_name = group.organisation.name
    assert old_name in _text(client, landing) and old_name in _text(client, feed)
    with django_capture_on_commit_callbacks(execute=True):
        group.organisation.name = "Coastal Peer Network"
        group.organisation.save()
    assert "Coastal Peer Network" in _text(client, landing)
    assert "Coastal Peer Network" in _text(client, feed)
    assert old_name not in _text(client, feed)


def test_organisation_feed_follows_a_new_slug_at_once(
    client, group, django_capture_on_commit_callbacks
):
    organisation = group.organisation
    old_feed = reverse("meetings:organisation_feed", args=[organisation.slug])
    assert organisation.name in _text(client, old_feed)
    with django_capture_on_commit_callbacks(execute=True):
        organisation.slug = "coastal-peer-network"
        organisation.save()
    assert client.get(old_feed).status_code == 404
    new_feed = reverse("meetings:organisation_feed", args=["coastal-peer-network"])
    assert organisation.name in _text(client, new_feed)


def test_landing_page_of_a_deleted_group_is_gone_at_once(
    client, group, django_capture_on_commit_callbacks
):
    url = group.get_absolute_url()
    assert "Harbour Circle" in _text(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        group.delete()
    assert client.get(url).status_code == 404


def test_landing_page_for_visitors_never_shows_the_private_place(client, group):
    group.place = "Room 4, 12 Dock Street"
    group.online_link = "https://meet.example.test/harbour"
    group.save()
    url = group.get_absolute_url()
    for _visit in range(2):  # built, then served from the cache
        page = _text(client, url)
        assert "Dock Street" not in page and "meet.example.test" not in page
