"""The public directory, each group's landing page, navigation and the member home."""

from __future__ import annotations

import datetime
import html
import re
import time
import zoneinfo

import pytest

from groups.models import Membership, PeerGroup
from groups.selectors import group_next_meeting
from tests.factories import MembershipFactory, PeerGroupFactory, UserFactory
from tests.support import assert_constant_queries, max_queries

pytestmark = pytest.mark.django_db
DIRECTORY = "/groups/"


def names(response) -> list[str]:
    """The group names a visitor reads in the results (the page may come from the cache)."""
    body = response.content.decode()
    return [
        html.unescape(name)
        for name in re.findall(r'<h3 class="h5 card-title"><a [^>]*>([^<]*)</a>', body)
    ]


# --- directory ------------------------------------------------------------------------
def test_directory_lists_only_listed_active_groups(client):
    PeerGroupFactory(name="Listed Circle")
    PeerGroupFactory(name="Unlisted Circle", visibility="unlisted")
    PeerGroupFactory(name="Private Circle", visibility="private")
    PeerGroupFactory(name="Paused Circle", status="paused")
    PeerGroupFactory(name="Archived Circle", status="archived")
    response = client.get(DIRECTORY)
    assert names(response) == ["Listed Circle"]
    body = response.content.decode()
    assert "1 group found" in body
    assert "Unlisted Circle" not in body and "Private Circle" not in body


def test_directory_search_matches_name_purpose_audience_and_topics(client):
    PeerGroupFactory(name="Harbour Circle", purpose="Talk.", audience="Adults", topics=[])
    PeerGroupFactory(name="B", purpose="For people after a loss.", audience="Adults", topics=[])
    PeerGroupFactory(name="C", purpose="Talk.", audience="Paramedics", topics=[])
    PeerGroupFactory(name="D", purpose="Talk.", audience="Adults", topics=["ptsd"])
    PeerGroupFactory(name="E", purpose="Talk.", audience="Adults", topics=["sleep"])
    assert names(client.get(DIRECTORY, {"q": "harbour"})) == ["Harbour Circle"]
    assert names(client.get(DIRECTORY, {"q": "LOSS"})) == ["B"]
    assert names(client.get(DIRECTORY, {"q": "paramedic"})) == ["C"]
    assert names(client.get(DIRECTORY, {"q": "PTSD"})) == ["D"]
    assert names(client.get(DIRECTORY, {"q": "nothing like this"})) == []


def test_directory_filters_by_topic_format_place_day_time_and_language(client):
    def group(name, **values):
        defaults = {"topics": [], "format": "in_person", "city": "Leeds", "language": "en"}
        return PeerGroupFactory(name=name, **{**defaults, **values})

    group("Grief", topics=["grief"], meeting_day=0, meeting_time=datetime.time(9, 30))
    group("Online", format="online", city="", meeting_day=1, meeting_time=datetime.time(12, 0))
    group("Hybrid", format="hybrid", city="York", meeting_day=1, meeting_time=datetime.time(17))
    group("French", language="fr", city="leeds", meeting_day=2, meeting_time=datetime.time(16))

    def found(**params):
        return sorted(names(client.get(DIRECTORY, params)))

    assert found(topic="grief") == ["Grief"]
    assert found(topic="GRIEF") == ["Grief"]
    assert found(format="hybrid") == ["Hybrid"]
    assert found(where="online") == ["Hybrid", "Online"]
    assert found(where="Leeds") == ["French", "Grief"]
    assert found(day="1") == ["Hybrid", "Online"]
    assert found(time="morning") == ["Grief"]
    assert found(time="afternoon") == ["French", "Online"]
    assert found(time="evening") == ["Hybrid"]
    assert found(language="fr") == ["French"]
    assert found(where="online", day="1", time="evening") == ["Hybrid"]


def test_directory_ignores_invalid_filter_values(client):
    PeerGroupFactory(name="Still here")
    bad = {"format": "<script>", "day": "99", "time": "noon", "language": "zz", "page": "x"}
    response = client.get(DIRECTORY, {**bad, "q": "x" * 5000})
    assert response.status_code == 200
    response = client.get(DIRECTORY, bad)
    assert names(response) == ["Still here"]
    assert "&lt;script&gt;" not in response.content.decode()


def test_directory_paginates_twenty_per_page_and_shows_the_count(client):
    PeerGroupFactory.create_batch(45, topics=["sleep"])
    first = client.get(DIRECTORY, {"topic": "sleep"})
    assert len(names(first)) == 20
    body = first.content.decode()
    assert "45 groups found" in body and "Page 1 of 3" in body
    assert "topic=sleep" in body and "page=2" in body  # the next link keeps the filters
    last = client.get(DIRECTORY, {"topic": "sleep", "page": "3"})
    assert len(names(last)) == 5
    assert len(names(client.get(DIRECTORY, {"page": "999"}))) == 5


def test_directory_empty_state_offers_all_groups(client):
    response = client.get(DIRECTORY, {"q": "nothing"})
    body = response.content.decode()
    assert "0 groups found" in body
    assert "No group matches this search" in body and "See all groups" in body


def test_directory_shows_the_next_meeting_in_the_visitors_zone(client):
    PeerGroupFactory(meeting_day=3, meeting_time=datetime.time(19), time_zone="Europe/London")
    client.cookies["tz"] = "America/New_York"
    body = client.get(DIRECTORY).content.decode()
    assert "Next meeting:" in body and "America/New_York" in body
    assert ", 14:00" in body  # 19:00 in London is 14:00 in New York


def test_directory_query_count_is_the_same_for_one_and_thirty_groups(client):
    PeerGroupFactory(meeting_time=datetime.time(18))

    def grow():
        PeerGroupFactory.create_batch(29, meeting_time=datetime.time(18), topics=["a", "b"])

    assert_constant_queries(lambda: client.get(DIRECTORY), grow, limit=6)


def test_directory_stays_fast_with_ten_thousand_groups(client):
    organisation = PeerGroupFactory(
        topics=["grief"], format="online", meeting_time=datetime.time(19)
    ).organisation

    def grow():
        PeerGroup.objects.bulk_create(
            PeerGroup(
                organisation=organisation,
                name=f"Circle {n}",
                slug=f"circle-{n}",
                purpose="Peer support.",
                audience="Adults",
                topics=["grief" if n % 2 else "anxiety", f"t{n % 50}"],
                format=["online", "hybrid", "in_person"][n % 3],
                city=["Leeds", "York", ""][n % 3],
                language=["en", "fr"][n % 2],
                meeting_day=n % 7,
                meeting_time=datetime.time(8 + n % 14),
            )
            for n in range(10_000)
        )

    def fetch():
        response = client.get(DIRECTORY, {"topic": "grief", "where": "online", "time": "evening"})
        assert response.status_code == 200

    assert_constant_queries(fetch, grow, limit=6)
    for params in [{"topic": "grief", "day": "3"}, {"q": "circle 99", "page": "3"}, {}]:
        started = time.monotonic()
        assert client.get(DIRECTORY, params).status_code == 200
        # Generous for a shared CI machine; typically 100 to 300 ms.
        assert time.monotonic() - started < 1.5, params


# --- next meeting ---------------------------------------------------------------------
def test_group_next_meeting_is_the_next_usual_day_in_the_groups_zone():
    group = PeerGroupFactory.build(
        meeting_day=3, meeting_time=datetime.time(19), time_zone="Europe/London"
    )
    london = zoneinfo.ZoneInfo("Europe/London")
    wednesday = datetime.datetime(2026, 3, 25, 12, tzinfo=datetime.UTC)
    assert group_next_meeting(group, now=wednesday) == datetime.datetime(
        2026, 3, 26, 19, tzinfo=london
    )
    # Thursday evening after the start: next week, and still 19:00 after the clocks change.
    after = datetime.datetime(2026, 3, 26, 20, tzinfo=datetime.UTC)
    upcoming = group_next_meeting(group, now=after)
    assert upcoming == datetime.datetime(2026, 4, 2, 19, tzinfo=london)
    assert upcoming.utcoffset() == datetime.timedelta(hours=1)
    assert group_next_meeting(PeerGroupFactory.build(meeting_time=None)) is None


# --- landing page ---------------------------------------------------------------------
def test_landing_page_explains_the_group_and_never_shows_place_or_link(client_for, world):
    group = world.group
    group.meeting_time = datetime.time(19)
    group.how_meetings_run = "Check-in, sharing, check-out."
    group.ground_rules_summary = "What is said here stays here."
    group.save()
    for role in ["anonymous", "outsider", "member", "facilitator", "organizer"]:
        body = client_for(world.users.get(role)).get(group.get_absolute_url()).content.decode()
        assert group.purpose in body and group.audience in body
        assert "Learn from each other" in body  # an objective
        assert "Check-in, sharing, check-out." in body
        assert "What is said here stays here." in body
        assert "Peer support is not a substitute for professional care" in body
        assert f"/orgs/{group.organisation.slug}/#referrals" in body
        assert f"/orgs/{group.organisation.slug}/#crisis" in body
        assert "Next meeting" in body and "Thursday" in body
        assert group.place not in body and group.online_link not in body, role


def test_landing_page_has_social_preview_and_a_share_link(client, world):
    body = client.get(world.group.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Harbour Circle">' in body
    assert 'property="og:description"' in body and 'name="twitter:card"' in body
    assert 'id="share-link"' in body and "/groups/harbour-circle/" in body
    assert "noindex" not in body


def test_unlisted_landing_page_asks_search_engines_not_to_index(client):
    group = PeerGroupFactory(visibility="unlisted")
    body = client.get(group.get_absolute_url()).content.decode()
    assert '<meta name="robots" content="noindex">' in body


def test_private_group_is_404_for_people_outside_it(client_for, world):
    group = world.group
    group.visibility = "private"
    group.save()
    for role in ["anonymous", "outsider", "other_member", "other_organizer"]:
        response = client_for(world.users.get(role)).get(group.get_absolute_url())
        assert response.status_code == 404, role
    for role in ["member", "pending", "on_break", "facilitator", "organizer"]:
        assert client_for(world.users[role]).get(group.get_absolute_url()).status_code == 200
    assert client_for(None).get("/groups/no-such-group/").status_code == 404


def test_join_button_follows_the_join_policy_and_hides_for_members(client_for, world):
    group, url = world.group, world.group.get_absolute_url()
    assert "Ask to join" in client_for(world.users["outsider"]).get(url).content.decode()
    group.join_policy = "open"
    group.save()
    assert "Join this group" in client_for(None).get(url).content.decode()
    body = client_for(world.users["member"]).get(url).content.decode()
    assert "Join this group" not in body and "You are part of this group" in body
    body = client_for(world.users["pending"]).get(url).content.decode()
    assert "waiting for a facilitator" in body
    group.join_policy = "invitation"
    group.save()
    body = client_for(world.users["outsider"]).get(url).content.decode()
    assert "by invitation only" in body and "Ask to join" not in body


@pytest.mark.parametrize(
    ("status", "notice"),
    [("paused", "taking a pause"), ("archived", "no longer meets")],
)
def test_paused_or_archived_group_shows_a_calm_notice_and_no_join_button(client, status, notice):
    group = PeerGroupFactory(status=status, join_policy="open")
    body = client.get(group.get_absolute_url()).content.decode()
    assert notice in body and "Join this group" not in body


def test_landing_page_shows_times_in_the_members_own_zone(client_for):
    group = PeerGroupFactory(meeting_day=3, meeting_time=datetime.time(19))
    viewer = UserFactory(time_zone="Asia/Tokyo")
    body = client_for(viewer).get(group.get_absolute_url()).content.decode()
    assert "Asia/Tokyo time" in body
    assert "Friday" in body  # Thursday 19:00 in London is Friday morning in Tokyo


def test_landing_page_query_count_does_not_grow_with_members(client_for, world):
    url = world.group.get_absolute_url()
    client = client_for(world.users["member"])

    def grow():
        for _n in range(20):
            MembershipFactory(group=world.group)
            PeerGroupFactory(organisation=world.organisation)

    assert_constant_queries(lambda: client.get(url), grow, limit=12)


# --- navigation and home --------------------------------------------------------------
def test_navigation_offers_find_a_group_to_all_and_organise_to_those_who_run(client_for, world):
    for role, organises in [
        ("anonymous", False),
        ("member", False),
        ("facilitator", True),
        ("organizer", True),
    ]:
        body = client_for(world.users.get(role)).get("/").content.decode()
        assert "Find a group" in body
        assert ('href="/organise/"' in body) is organises, role


def test_navigation_costs_at_most_two_queries(client_for, world):
    client = client_for(world.users["organizer"])
    client.get("/crisis/")  # warm up the session
    with max_queries(6) as captured:
        client.get("/crisis/")
    groups_queries = [q for q in captured.captured_queries if "groups_" in q["sql"]]
    assert len(groups_queries) <= 2


def test_member_home_lists_their_groups_or_offers_to_find_one(client_for, world):
    body = client_for(world.users["member"]).get("/").content.decode()
    assert "Your groups" in body and "Harbour Circle" in body
    body = client_for(world.users["on_break"]).get("/").content.decode()
    assert "Harbour Circle" in body and "On a break" in body
    body = client_for(world.users["outsider"]).get("/").content.decode()
    assert "You have not joined a group yet" in body and 'href="/groups/"' in body
    left = world.group.memberships.get(user=world.users["member"])
    left.status = Membership.Status.LEFT
    left.save()
    assert "Harbour Circle" not in client_for(world.users["member"]).get("/").content.decode()


def test_directory_keeps_the_chosen_filters_selected(client):
    PeerGroupFactory(topics=["grief"], city="Leeds")
    body = client.get(DIRECTORY, {"topic": "grief", "where": "York", "day": "3"}).content.decode()
    assert '<option value="grief" selected>' in body
    assert '<option value="York" selected>' in body  # no group there now, still shown
    assert '<option value="3" selected>' in body
    assert "Clear search and filters" in body


def test_a_full_group_says_so_instead_of_offering_to_join(client_for, world):
    group = world.group
    group.max_members = 2  # member and facilitator are active
    group.save()
    body = client_for(world.users["outsider"]).get(group.get_absolute_url()).content.decode()
    assert "This group is full just now" in body and "Ask to join" not in body
    group.max_members = 3
    group.save()
    body = client_for(world.users["outsider"]).get(group.get_absolute_url()).content.decode()
    assert "Ask to join" in body


def test_landing_page_shows_the_groups_own_words_and_leaves_out_empty_parts(client):
    group = PeerGroupFactory(
        purpose="A place to talk.",
        how_meetings_run="We open with a round.\nThen we listen.",
        ground_rules_summary="",
    )
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Why this group exists" in page and "A place to talk." in page
    assert "How meetings run" in page and "We open with a round.<br>Then we listen." in page
    assert "Ground rules in brief" not in page

    group.ground_rules_summary = "What is said here stays here."
    group.save()
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Ground rules in brief" in page and "What is said here stays here." in page
    assert "Members sign the group's confidentiality agreement" in page
