"""Query budgets of the benchmarked pages (issue 13): the same number of queries with one
and with fifty related rows (no N+1), and under a fixed ceiling.

Each budget has two figures: the cold path (every cache emptied, the session kept: the
first request after the rows a page reads changed) and the warm path (the same request
again: what most requests get, with every cache on as in production).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import AgendaItem, MeetingRole, Rsvp
from sessions.services import calendar as calendar_services
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)
from tests.feedback.dashboard_data import held, people_in
from tests.support import assert_constant_queries

pytestmark = pytest.mark.django_db


def _budget(client, url: str, grow, *, limit: int, warm: int, text: str = "") -> None:
    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        if text:
            assert text in response.content.decode()

    assert_constant_queries(fetch, grow, limit=limit, warm_limit=warm)


def _upcoming(group, days: int, **kwargs):
    starts = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return MeetingFactory(group=group, starts_at=starts, **kwargs)


def _joined_groups(user, n: int, *, role: str = "member") -> list:
    """`n` groups `user` is active in, each with a signed agreement and a meeting ahead."""
    groups = []
    for i in range(n):
        group = PeerGroupFactory(topics=["anxiety"])
        MembershipFactory(group=group, user=user, role=role)
        sign_agreement(user, publish_agreement(group))
        _upcoming(group, 1 + i % 20, facilitator=user if role == "facilitator" else None)
        groups.append(group)
    return groups


def test_directory_filtered_budget(client, world):
    PeerGroupFactory(topics=["anxiety"], format="hybrid")

    def grow():
        for i in range(50):
            _upcoming(PeerGroupFactory(topics=["anxiety"], format="hybrid"), 1 + i % 20)

    url = reverse("groups:directory") + "?topic=anxiety&format=hybrid"
    # Five: the groups, their count, the filter menus (two) and the nearby groups' feeds.
    _budget(client, url, grow, limit=5, warm=0, text="groups found")


def test_directory_with_nearby_feeds_and_access_filter_budget(client, world):
    from finders.models import FeedSource

    meeting = {"slug": "a", "name": "Harbourside Carers", "days": [2], "types": ["X", "FR"]}
    meeting.update(time="18:30", end_time="20:00", timezone="", address="Fareham", online=False)
    meeting.update(url="https://solent.example.org/a", entity="", notes="")

    def add_source(i: int) -> None:
        FeedSource.objects.create(
            organisation=world.organisation,
            name=f"Neighbours {i}",
            url=f"https://n{i}.example.org/feed.json",
            meetings=[{**meeting, "slug": str(j)} for j in range(20)],
            meeting_count=20,
        )

    add_source(0)
    PeerGroupFactory(access_features=["step_free"], language="fr")

    def grow():
        for i in range(1, 30):
            add_source(i)
            PeerGroupFactory(access_features=["step_free"], other_languages=["fr"])

    url = reverse("groups:directory") + "?access=step_free&language=fr"
    _budget(client, url, grow, limit=5, warm=0, text="Nearby groups from Neighbours 0")


def test_meeting_guide_feed_budget(client, world):
    world.organisation.list_in_finders = True
    world.organisation.save()

    def listed_group(days: int) -> None:
        group = PeerGroupFactory(organisation=world.organisation, list_in_finders=True)
        _upcoming(group, days)

    listed_group(1)
    url = reverse("finders:feed")
    _budget(client, url, lambda: [listed_group(2 + i % 20) for i in range(50)], limit=2, warm=0)


def test_group_landing_page_budget(client, world):
    group = world.group

    def grow():
        for i in range(50):
            _upcoming(group, 2 + i)
        MembershipFactory.create_batch(50, group=group)

    _budget(client, group.get_absolute_url(), grow, limit=3, warm=0, text=group.name)


def test_meeting_page_with_rsvp_state_budget(client_for, world):
    member, meeting = world.users["member"], world.meeting
    Rsvp.objects.create(meeting=meeting, user=member, status=Rsvp.Status.GOING)
    client = client_for(member)

    def grow():
        others = people_in(world.group, 50)
        sign_agreement(others[0], world.agreement)
        Rsvp.objects.bulk_create(
            [
                Rsvp(
                    meeting=meeting,
                    user=u,
                    status=Rsvp.Status.WAITLISTED,
                    waitlisted_at=timezone.now(),
                )
                for u in others
            ]
        )
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, position=i, title=f"Item {i}", minutes=5)
                for i in range(50)
            ]
        )
        MeetingRole.objects.create(meeting=meeting, role="timekeeper", user=others[0])

    _budget(client, meeting.get_absolute_url(), grow, limit=10, warm=0, text=meeting.place)


def test_member_home_budget(client_for, world):
    member = world.users["member"]
    client = client_for(member)
    _budget(
        client,
        reverse("groups:mine"),
        lambda: _joined_groups(member, 50),
        limit=5,
        warm=0,
        text="Harbour",
    )


def test_facilitator_dashboard_budget(client_for, world):
    facilitator = world.users["facilitator"]
    client = client_for(facilitator)

    def grow():
        for group in _joined_groups(facilitator, 50, role="facilitator"):
            _upcoming(group, 3, facilitator=facilitator)

    url = reverse("meetings:facilitator_dashboard")
    _budget(client, url, grow, limit=9, warm=0, text=world.meeting.group.name)


def test_organizer_dashboard_budget(client_for, world):
    organizer, group = world.users["organizer"], world.group
    people = people_in(group, 6, joined_days_ago=150)
    held(group, people, days_ago=20)
    client = client_for(organizer)

    def grow():
        crowd = people + people_in(group, 44, joined_days_ago=120)
        for days_ago in range(25, 25 + 7 * 50, 7):  # fifty more meetings, fifty people each
            held(group, crowd, days_ago=days_ago)

    url = reverse("feedback:org_dashboard", args=[world.organisation.slug]) + "?period=12m"
    # The ceiling is the dashboard's own (tests/feedback/test_dashboard_queries.py) and one
    # for the bell's count.
    _budget(client, url, grow, limit=31, warm=1, text=group.name)


def test_private_calendar_feed_budget(client, world):
    member = world.users["member"]
    feed = calendar_services.calendar_feed_get_or_create(user=member)

    def grow():
        _joined_groups(member, 25)
        for i in range(25):
            _upcoming(world.group, 2 + i)

    url = reverse("meetings:feed", args=[feed.token])
    _budget(client, url, grow, limit=5, warm=1, text="BEGIN:VCALENDAR")


def test_organisation_public_feed_budget(client, world):
    from sessions.services import events

    def add_event(days: int) -> None:
        events.event_create(
            organisation=world.organisation,
            by=world.users["organizer"],
            title=f"Open evening {days}",
            day=timezone.localdate() + datetime.timedelta(days=days),
            start_time=datetime.time(18, 30),
            duration_minutes=60,
            time_zone="Europe/London",
            capacity=40,
        )

    add_event(3)
    url = reverse("meetings:organisation_feed", args=[world.organisation.slug])
    _budget(
        client,
        url,
        lambda: [add_event(4 + i) for i in range(50)],
        limit=3,
        warm=0,
        text="Open evening",
    )


def test_budgets_hold_for_a_new_member_without_groups(client_for):
    # The smallest case: a member home with nothing in it still answers in budget.
    client = client_for(UserFactory())
    _budget(client, reverse("groups:mine"), lambda: None, limit=4, warm=0)


def test_member_home_lists_groups_by_name_with_one_query_for_roles_and_groups(client_for):
    # The home page reads the memberships the permission layer loaded (with their groups):
    # every group the person has been in, in name order, and the nav's list agrees.
    member = UserFactory()
    for name in ("Zebra walkers", "Anchor circle", "Mid-week talk"):
        MembershipFactory(group=PeerGroupFactory(name=name), user=member)
    left = MembershipFactory(group=PeerGroupFactory(name="Bygone group"), user=member)
    left.status = "left"
    left.save()
    html = client_for(member).get(reverse("groups:mine")).content.decode()
    positions = [html.index(n) for n in ("Anchor circle", "Bygone group", "Mid-week", "Zebra")]
    assert positions == sorted(positions)


def test_a_member_is_not_sent_to_two_step_setup_but_a_new_facilitator_is(client_for, world):
    # The two-step check reads this request's roles, so a change shows on the next request.
    member = world.users["member"]
    client = client_for(member)
    assert client.get(reverse("groups:mine")).status_code == 200
    MembershipFactory(group=PeerGroupFactory(), user=member, role="facilitator", mfa=False)
    response = client.get(reverse("groups:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_notifications_list_budget(client_for, world):
    from django.contrib.contenttypes.models import ContentType

    from members.models import Notice

    member = world.users["member"]
    about = ContentType.objects.get_for_model(world.meeting)

    def notices(n: int, start: int = 0) -> None:
        Notice.objects.bulk_create(
            [
                Notice(
                    kind="rsvp_confirmed",
                    about_type=about,
                    about_id=world.meeting.pk,
                    key=str(i),
                    recipient=member,
                    title=world.group.name,
                    link=world.meeting.get_absolute_url(),
                )
                for i in range(start, start + n)
            ]
        )

    notices(1)
    client = client_for(member)
    # The page's notices, counted for the pages and read; on the cold path also the
    # signed-in person's rows and the bell's count (kept by the cache on the warm path).
    _budget(
        client,
        reverse("members:notices"),
        lambda: notices(50, start=1),
        limit=7,
        warm=2,
        text="Your place is confirmed",
    )
