"""The member's private feed, cached per token (sessions/feed_cache.py): a repeat fetch
costs one query, and every change a member could notice shows in the very next fetch."""

from __future__ import annotations

import datetime
import time

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import OrganisationRole
from groups.services import groups as group_services
from groups.services import membership as membership_services
from sessions.services import calendar as services
from sessions.services import meetings as meeting_services
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)

pytestmark = pytest.mark.django_db

# (As written in the file, a comma is escaped: "Room 4\\, Harbour Community Centre".)
PLACE = b"Harbour Community Centre"


@pytest.fixture(autouse=True)
def _feed_cache_on(settings):
    # The suite builds every feed afresh (it counts queries); here the cache is the subject.
    settings.FEED_CACHE_SECONDS = 600


def _url(user) -> str:
    return reverse("meetings:feed", args=[services.calendar_feed_get_or_create(user=user).token])


def _fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def _summaries(body: bytes) -> list[str]:
    return [str(e["summary"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def _warm(client, url: str, django_assert_num_queries) -> bytes:
    """Fetch twice; the second one comes from the cache (only the token is checked)."""
    first = _fetch(client, url)
    with django_assert_num_queries(1):
        assert _fetch(client, url) == first
    return first


def test_second_fetch_is_served_from_cache_with_one_query(
    world, client, django_assert_num_queries, django_assert_max_num_queries
):
    url = _url(world.users["member"])
    with django_assert_max_num_queries(5) as built:
        body = _fetch(client, url)
    assert len(built) > 1
    assert PLACE in body and b"Harbour Circle: Sleep and shift work" in body
    with django_assert_num_queries(1):
        assert _fetch(client, url) == body


def test_moved_and_cancelled_meetings_show_in_next_fetch(world, client, django_assert_num_queries):
    url, meeting = _url(world.users["member"]), world.meeting
    _warm(client, url, django_assert_num_queries)
    day = timezone.localdate() + datetime.timedelta(days=9)
    meeting_services.meeting_update(
        meeting=meeting,
        by=world.users["facilitator"],
        day=day,
        start_time=datetime.time(18, 0),
        duration_minutes=60,
        details=meeting_services.MeetingDetails(capacity=12, topic="Night shifts"),
    )
    body = _fetch(client, url)
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.decoded("dtstart").date() == day
    assert int(event["sequence"]) == 1
    assert str(event["summary"]) == "Harbour Circle: Night shifts"
    meeting_services.meeting_cancel(meeting=meeting, by=world.users["facilitator"], reason="Ill.")
    event = icalendar.Calendar.from_ical(_fetch(client, url)).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"


def test_new_meeting_shows_in_next_fetch(world, client, django_assert_num_queries):
    url = _url(world.users["member"])
    _warm(client, url, django_assert_num_queries)
    MeetingFactory(group=world.group, topic="Extra evening")
    assert "Harbour Circle: Extra evening" in _summaries(_fetch(client, url))


def test_break_and_return_show_in_next_fetch(world, client, django_assert_num_queries):
    member = world.users["member"]
    url = _url(member)
    _warm(client, url, django_assert_num_queries)
    membership = member.memberships.get(group=world.group)
    membership_services.membership_take_break(membership=membership, until=None)
    assert _summaries(_fetch(client, url)) == []
    membership_services.membership_come_back(membership=membership)
    assert _summaries(_fetch(client, url)) == ["Harbour Circle: Sleep and shift work"]


def test_new_agreement_version_hides_place_until_signed(world, client, django_assert_num_queries):
    member = world.users["member"]
    url = _url(member)
    assert PLACE in _warm(client, url, django_assert_num_queries)
    version = publish_agreement(world.group, by=world.users["facilitator"], text="Version two.")
    assert PLACE not in _fetch(client, url)
    sign_agreement(member, version)
    assert PLACE in _fetch(client, url)


def test_discreet_mode_shows_in_next_fetch(world, client, django_assert_num_queries):
    member = world.users["member"]
    url = _url(member)
    _warm(client, url, django_assert_num_queries)
    member.discreet_mode = True
    member.save(update_fields=["discreet_mode"])
    body = _fetch(client, url)
    assert _summaries(body) == ["Peer support meeting"]
    assert b"Harbour Circle" not in body and b"Sleep and shift" not in body


def test_login_stamp_keeps_the_cached_feed(world, client, django_assert_num_queries):
    # Saves of columns a feed never shows (a login's last_login) cost nobody a rebuild.
    member = world.users["member"]
    url = _url(member)
    _warm(client, url, django_assert_num_queries)
    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])
    with django_assert_num_queries(1):
        _fetch(client, url)


def test_group_settings_show_in_next_fetch(world, client, django_assert_num_queries):
    url = _url(world.users["member"])
    MeetingFactory(group=world.group, place="", topic="In the group's room")
    assert b"Lighthouse Hall" not in _warm(client, url, django_assert_num_queries)
    group_services.group_update(group=world.group, data={"place": "Lighthouse Hall"})
    assert b"Lighthouse Hall" in _fetch(client, url)
    # "Only N hours before": both meetings are days away, so no place shows now.
    group_services.group_update(group=world.group, data={"reveal_location_hours_before": 24})
    body = _fetch(client, url)
    assert b"Lighthouse Hall" not in body and PLACE not in body


def test_becoming_organizer_shows_in_next_fetch(world, client, django_assert_num_queries):
    # Organizers see the place early (they prepare the room); a role is the member's own row.
    member = world.users["member"]
    group_services.group_update(group=world.group, data={"reveal_location_hours_before": 24})
    url = _url(member)
    assert PLACE not in _warm(client, url, django_assert_num_queries)
    OrganisationRole.objects.create(
        organisation=world.organisation, user=member, role=OrganisationRole.Role.ORGANIZER
    )
    assert PLACE in _fetch(client, url)


def test_two_members_never_see_each_others_feed(world, client, django_assert_num_queries):
    member = world.users["member"]
    unsigned = UserFactory(discreet_mode=True)
    MembershipFactory(group=world.group, user=unsigned)
    mine, theirs = _url(member), _url(unsigned)
    assert mine != theirs
    for _ in range(2):  # built, then cached: each token keeps its own feed
        my_body, their_body = _fetch(client, mine), _fetch(client, theirs)
        assert PLACE in my_body and b"Harbour Circle" in my_body
        assert PLACE not in their_body and b"Harbour" not in their_body
        assert _summaries(their_body) == ["Peer support meeting"]


def test_rotated_and_revoked_tokens_404_at_once(world, client, django_assert_num_queries):
    member = world.users["member"]
    old = _url(member)
    _warm(client, old, django_assert_num_queries)
    services.calendar_feed_rotate(user=member)
    assert client.get(old).status_code == 404
    new = _url(member)
    assert PLACE in _warm(client, new, django_assert_num_queries)
    services.calendar_feed_revoke(user=member)
    assert client.get(new).status_code == 404


def test_deactivated_owner_404s_at_once(world, client, django_assert_num_queries):
    member = world.users["member"]
    url = _url(member)
    _warm(client, url, django_assert_num_queries)
    type(member).objects.filter(pk=member.pk).update(is_active=False)  # even with no signal
    assert client.get(url).status_code == 404


def test_cached_feed_expires_when_place_is_revealed(world, client, django_assert_num_queries):
    group_services.group_update(group=world.group, data={"reveal_location_hours_before": 1})
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1, seconds=3)
    MeetingFactory(
        group=world.group,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=60),
        place="Room 8, Tide House",
        topic="Soon",
    )
    url = _url(world.users["member"])
    assert b"Tide House" not in _warm(client, url, django_assert_num_queries)
    # Nobody edits anything: only the clock reaches the moment the place is shown from.
    shown_from = starts - datetime.timedelta(hours=1)
    time.sleep((shown_from - timezone.now()).total_seconds() + 0.2)
    assert b"Tide House" in _fetch(client, url)
