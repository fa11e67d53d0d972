"""The public Meeting Guide feed: every field rule of the specification, privacy grading
(an attacker reads the raw bytes), CORS, ETag / Last-Modified and 304, renewal on change."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from finders import spec
from tests.factories import MeetingFactory
from tests.finders.support import SECRETS

pytestmark = pytest.mark.django_db

FEED = reverse("finders:feed")


def _feed(client, url=FEED, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response, json.loads(response.content)


def _by_name(records):
    return {r["name"]: r for r in records}


def test_feed_follows_every_field_rule_of_the_spec(client, finder_world):
    response, records = _feed(client)
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(records, list) and len(records) == 4
    assert spec.feed_errors(records) == []
    for record in records:
        assert record["name"] and isinstance(record["name"], str)
        assert len(str(record["slug"])) <= 64 and re.fullmatch(r"[A-Za-z0-9._~-]+", record["slug"])
        assert set(record["types"]) <= spec.TYPE_CODES
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", record["updated"])
        assert record["url"].startswith("http") and "/groups/" in record["url"]
        assert record["timezone"] == "Europe/London"
        assert "<" not in record["notes"]  # plain text
        if "day" in record:
            assert record["day"] in range(7)
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", record["time"])
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", record["end_time"])
    assert len({r["slug"] for r in records}) == len(records)


def test_feed_maps_schedule_types_and_place(client, finder_world):
    _response, records = _feed(client)
    found = _by_name(records)
    thursday = found["Thursday Listening Circle"]
    # Our Thursday (3, weeks from Monday) is the specification's 4 (weeks from Sunday).
    assert (thursday["day"], thursday["time"], thursday["end_time"]) == (4, "19:00", "20:30")
    assert set(thursday["types"]) == {"O", "BE", "EN", "FR", "X", "ASL"}
    assert thursday["formatted_address"] == "Leeds" and thursday["approximate"] == "yes"
    assert thursday["url"].endswith(finder_world.listed.get_absolute_url())
    online = found["Men Talking Online"]
    assert online["day"] == 2 and online["approximate"] == "yes"
    assert "M" in online["types"] and "C" in online["types"]
    assert "every two weeks" in online["notes"].lower()
    street = found["Library Circle"]
    # Monday 23:30 for an hour ends after midnight; Monday is the specification's 1.
    assert (street["day"], street["end_time"]) == (1, "00:30")
    assert street["formatted_address"] == "2 Church Lane, Portsmouth"
    assert street["approximate"] == "no"


def test_monthly_groups_carry_their_next_dates_in_notes_not_a_weekly_day(client, finder_world):
    start = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    MeetingFactory(group=finder_world.monthly, starts_at=start)
    _response, records = _feed(client)
    monthly = _by_name(records)["Monthly Grief Circle"]
    assert "day" not in monthly and "time" not in monthly
    assert "Monthly" in monthly["notes"] and "Next meetings" in monthly["notes"]
    assert str(start.year) in monthly["notes"]


def test_nothing_private_is_ever_in_the_feed_bytes(client, finder_world):
    for url in (FEED, reverse("finders:organisation_feed", args=["harbour-finder"])):
        body = client.get(url).content.decode()
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} leaked into {url}"
        for field in ("conference_url", "conference_phone", "contact_1_name", "location"):
            assert f'"{field}"' not in body


def test_feed_of_an_organisation_that_did_not_opt_in_is_empty(client, finder_world):
    _response, records = _feed(client, reverse("finders:organisation_feed", args=["quiet-org"]))
    assert records == []
    assert client.get(reverse("finders:organisation_feed", args=["no-such-org"])).status_code == 404


def test_feed_answers_any_origin_and_304_when_unchanged(client, finder_world):
    response, _records = _feed(client)
    assert response["Access-Control-Allow-Origin"] == "*"
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag and modified
    again = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    since = client.get(FEED, HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    other = client.get(FEED, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_feed_is_renewed_when_a_listed_group_changes(client, finder_world):
    response, _records = _feed(client)
    group = finder_world.listed
    group.name = "Thursday Evening Circle"
    group.save()
    changed = client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200
    assert "Thursday Evening Circle" in changed.content.decode()
    group.list_in_finders = False
    group.save()
    assert "Thursday Evening Circle" not in client.get(FEED).content.decode()


def test_feed_is_renewed_when_the_organisation_opts_out(client, finder_world):
    _feed(client)
    organisation = finder_world.organisation
    organisation.list_in_finders = False
    organisation.save()
    assert json.loads(client.get(FEED).content) == []


def test_directory_and_organisation_page_announce_the_feed(client, finder_world):
    directory = client.get(reverse("groups:directory")).content.decode()
    assert f'type="application/json" title="Meetings feed" href="{FEED}"' in directory
    page = client.get(reverse("groups:organisation_detail", args=["harbour-finder"]))
    org_feed = reverse("finders:organisation_feed", args=["harbour-finder"])
    assert f'title="Meetings feed" href="{org_feed}"' in page.content.decode()


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"slug": "a"}, "“name”"),
        ({"name": "A"}, "“slug”"),
        ({"name": "A", "slug": "has space"}, "“slug”"),
        ({"name": "A", "slug": "x" * 65}, "“slug”"),
        ({"name": "A", "slug": "a", "day": 7, "time": "10:00"}, "“day”"),
        ({"name": "A", "slug": "a", "day": [1, 9], "time": "10:00"}, "“day”"),
        ({"name": "A", "slug": "a", "day": 1, "time": "7pm"}, "“time”"),
        ({"name": "A", "slug": "a", "day": 1, "time": "10:00", "end_time": "24:00"}, "end_time"),
        ({"name": "A", "slug": "a", "day": 1}, "go together"),
        ({"name": "A", "slug": "a", "timezone": "Mars/Olympus"}, "“timezone”"),
        ({"name": "A", "slug": "a", "updated": "2024-01-01"}, "“updated”"),
        ({"name": "A", "slug": "a", "types": "O"}, "“types”"),
        ({"name": "A", "slug": "a", "url": "javascript:alert(1)"}, "“url”"),
        ({"name": "A", "slug": "a", "approximate": "maybe"}, "“approximate”"),
        ({"name": "A", "slug": "a", "latitude": 123}, "“latitude”"),
        ({"name": "A", "slug": "a", "conference_phone": "call me"}, "conference_phone"),
        ({"name": "A", "slug": "a", "entity_email": "a@b.org"}, "“entity”"),
        ({"name": "A", "slug": "a", "entity_logo": "http://x.org/l.svg", "entity": "E"}, "https"),
        ("not an object", "JSON object"),
    ],
)
def test_validator_names_each_broken_rule(record, problem):
    errors = spec.record_errors(record)
    assert any(problem in error for error in errors), errors


def test_validator_accepts_a_full_record_and_refuses_duplicate_slugs():
    good = {
        "name": "Sunday Serenity",
        "slug": "sunday-serenity-14",
        "day": 0,
        "time": "18:00",
        "end_time": "19:30",
        "types": ["O", "T", "MADE-UP"],
        "updated": "2014-05-31 14:32:23",
        "url": "https://district123.org/meetings/sunday-serenity",
        "approximate": "no",
        "entity": "District 123",
        "entity_website_url": "https://district123.org",
        "latitude": 34.1,
        "longitude": -118.2,
    }
    assert spec.record_errors(good) == []
    assert spec.feed_errors([good, good]) == ["Meeting 2: “slug” is used twice in the feed."]
    assert spec.feed_errors({"meetings": []}) == ["The feed must be a JSON array of meetings."]
