"""Reading other organisations' feeds from a local HTTP server: good, malformed, huge,
slow, failing and half-bad feeds; the directory shows the good ones, marked as run by
others; the organizer sees what went wrong; after 72 hours of failures they are warned."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from finders import fetch, services
from finders.models import FeedSource
from finders.tasks import fetch_due_feeds
from members.models import Delivery
from tests.factories import PeerGroupFactory
from tests.fixtures.mail import body_text

pytestmark = pytest.mark.django_db


def _meeting(n: int, **values) -> dict:
    return {
        "name": f"Harbourside Carers {n}",
        "slug": f"carers-{n}",
        "day": 2,
        "time": "18:30",
        "end_time": "20:00",
        "timezone": "Europe/London",
        "types": ["O", "EN", "X"],
        "formatted_address": "Fareham, UK",
        "url": f"https://solent.example.org/groups/{n}",
        "notes": "<b>Tea</b> from 18:15",
        "conference_url": "https://zoom.example.org/j/123",
        **values,
    }


GOOD = json.dumps([_meeting(1), _meeting(2, day=[1, 3], types=["S"])]).encode()


def _source(world, url: str, name: str = "Solent Peer Support") -> FeedSource:
    return FeedSource.objects.create(organisation=world.organisation, name=name, url=url)


def _manage(client_for, world):
    client = client_for(world.users["organizer"])
    return client.get(reverse("finders:manage", args=[world.organisation.slug])).content.decode()


def test_good_feed_is_shown_in_the_directory_marked_as_run_by_others(client, world, feed_server):
    source = _source(world, feed_server.serve("/good.json", GOOD))
    assert services.feed_import(source=source)
    source.refresh_from_db()
    assert source.meeting_count == 2 and source.last_error == ""
    stored = source.meetings[0]
    assert stored["notes"] == "Tea from 18:15"  # HTML stripped
    assert "conference_url" not in stored and stored["online"] is True
    page = client.get(reverse("groups:directory")).content.decode()
    assert "Nearby groups from Solent Peer Support" in page
    assert "Run by Solent Peer Support, not by us" in page
    assert 'href="https://solent.example.org/groups/1" rel="noopener nofollow external"' in page
    assert "zoom.example.org" not in page
    # Never in our join flow: no join link or landing page of ours for their groups.
    assert "/groups/carers-1/" not in page


def test_directory_filters_apply_to_nearby_groups(client, world, feed_server):
    _source(world, feed_server.serve("/good.json", GOOD))
    services.feed_import(source=FeedSource.objects.get())
    directory = reverse("groups:directory")
    spanish = client.get(directory + "?language=es").content.decode()
    assert "Harbourside Carers 2" in spanish and "Harbourside Carers 1" not in spanish
    # Tuesday in our weeks (1) is the specification's 2.
    tuesday = client.get(directory + "?day=1").content.decode()
    assert "Harbourside Carers 1" in tuesday and "Harbourside Carers 2" not in tuesday
    step_free = client.get(directory + "?access=step_free").content.decode()
    assert "Harbourside Carers 1" in step_free and "Harbourside Carers 2" not in step_free


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{not json", 200, "not valid JSON"),
        (b'{"meetings": []}', 200, "JSON array"),
        (b"", 500, "answered with error 500"),
        (json.dumps([_meeting(1), _meeting(2, day=9)]).encode(), 200, "Meeting 2"),
    ],
    ids=["malformed", "not-an-array", "failing", "one-bad-record"],
)
def test_a_bad_feed_keeps_the_last_good_copy_and_tells_the_organizer(
    world, feed_server, client_for, body, status, message
):
    source = _source(world, feed_server.serve("/feed.json", GOOD))
    services.feed_import(source=source)
    feed_server.serve("/feed.json", body, status=status)
    assert services.feed_import(source=source) is False
    source.refresh_from_db()
    assert message in source.last_error
    assert source.meeting_count == 2  # all or nothing: the last good copy stays
    assert [m["name"] for m in source.meetings] == ["Harbourside Carers 1", "Harbourside Carers 2"]
    page = _manage(client_for, world)
    assert "The last reading of this feed failed." in page and message in page


def test_a_huge_feed_is_refused(world, feed_server, settings):
    settings.FINDER_FEED_MAX_BYTES = 10_000
    source = _source(world, feed_server.serve("/huge.json", b"[" + b" " * 50_000 + b"]"))
    assert services.feed_import(source=source) is False
    source.refresh_from_db()
    assert "larger than we read" in source.last_error and source.meetings == []


def test_a_slow_feed_times_out(world, feed_server, settings):
    settings.FINDER_FETCH_TIMEOUT = 1
    source = _source(world, feed_server.serve("/slow.json", GOOD, delay=3))
    assert services.feed_import(source=source) is False
    source.refresh_from_db()
    assert "did not arrive within 1 seconds" in source.last_error


def test_a_feed_with_too_many_meetings_is_refused(world, feed_server, settings):
    settings.FINDER_FEED_MAX_MEETINGS = 1
    source = _source(world, feed_server.serve("/many.json", GOOD))
    assert services.feed_import(source=source) is False
    source.refresh_from_db()
    assert "more than 1 meetings" in source.last_error


def test_redirects_are_followed(world, feed_server):
    feed_server.serve("/good.json", GOOD)
    source = _source(
        world, feed_server.serve("/old", feed_server.url("/good.json").encode(), status=302)
    )
    assert services.feed_import(source=source)


def test_private_addresses_are_refused_unless_the_setting_allows_them(world, feed_server, settings):
    settings.FINDER_FEED_ALLOW_PRIVATE_HOSTS = False
    source = _source(world, feed_server.serve("/good.json", GOOD))
    assert services.feed_import(source=source) is False
    source.refresh_from_db()
    assert "private network" in source.last_error
    with pytest.raises(fetch.FetchError):
        fetch.fetch("http://169.254.169.254/latest/meta-data/")


def test_after_72_hours_of_failures_the_organizers_are_warned_once(
    world, feed_server, client_for, smtp_sink, django_capture_on_commit_callbacks
):
    source = _source(world, feed_server.serve("/down.json", b"", status=503))
    source.failing_since = timezone.now() - datetime.timedelta(hours=73)
    source.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.feed_import(source=source)
    with django_capture_on_commit_callbacks(execute=True):
        services.feed_import(source=source)
    warned = Delivery.objects.filter(kind="finder_feed_failing", recipient=world.users["organizer"])
    assert warned.count() == 1
    (email,) = smtp_sink.wait_for(1)
    assert world.users["organizer"].email in email["To"]
    assert "could not be read for three days" in email["Subject"]
    assert "answered with error 503" in body_text(email)
    # The bell too: the notice names the feed and opens the organizer's page.
    client = client_for(world.users["organizer"])
    notices = client.get(reverse("members:notices")).content.decode()
    assert "The meeting feed of Solent Peer Support could not be read for three days." in notices
    assert "This feed has failed for more than 72 hours." in _manage(client_for, world)
    feed_server.serve("/down.json", GOOD)
    services.feed_import(source=source)
    source.refresh_from_db()
    assert source.failing_since is None and source.warned_at is None


def test_the_organizer_adds_a_feed_and_it_is_read(
    world, feed_server, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.users["organizer"])
    url = reverse("finders:manage", args=[world.organisation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Solent", "url": feed_server.serve("/g.json", GOOD)})
    assert response.status_code == 302
    assert FeedSource.objects.get().meeting_count == 2
    page = client.get(url).content.decode()
    assert "2 groups, last read" in page


@pytest.mark.parametrize("address", ["ftp://example.org/feed.json", "javascript:alert(1)", "feed"])
def test_only_web_addresses_are_accepted(world, client_for, address):
    client = client_for(world.users["organizer"])
    url = reverse("finders:manage", args=[world.organisation.slug])
    response = client.post(url, {"name": "Odd", "url": address})
    assert response.status_code == 200
    assert "A feed address starts with https://" in response.content.decode()
    assert not FeedSource.objects.exists()


def test_the_beat_task_reads_due_feeds_once(world, feed_server):
    source = _source(world, feed_server.serve("/good.json", GOOD))
    assert fetch_due_feeds() == 1
    source.refresh_from_db()
    assert source.meeting_count == 2
    assert fetch_due_feeds() == 0  # read just now: due again in 12 hours


def test_the_demo_sample_feed_imports_through_the_same_validation(client, world):
    from finders.demo import SAMPLE_FEED

    source = _source(world, "https://solent-peers.example.org/meeting-guide.json")
    assert services.feed_import(source=source, raw=SAMPLE_FEED.read_bytes())
    PeerGroupFactory(organisation=world.organisation)
    page = client.get(reverse("groups:directory")).content.decode()
    assert "Veterans Coffee Morning" in page
