"""The meeting page and a group's meeting list: times, place and link rules, queries."""

from __future__ import annotations

import datetime
import zoneinfo

from django.urls import reverse
from django.utils import timezone

from sessions.models import AgendaItem, Meeting, MeetingRole
from tests.factories import MeetingFactory, MembershipFactory, UserFactory
from tests.support import assert_constant_queries

PLACE = "Room 4, Harbour Community Centre"
LINK = "https://meet.jit.si/harbour-private-room"


def page(client, meeting) -> str:
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_member_sees_topic_place_link_agenda_and_facilitator(world, client_for, member):
    AgendaItem.objects.create(meeting=world.meeting, title="Check-in round", minutes=20)
    text = page(client_for(member), world.meeting)
    assert "Sleep and shift work" in text
    assert PLACE in text
    assert LINK in text
    assert "Check-in round" in text
    assert "Facilitator" in text and world.users["facilitator"].display_name in text


def test_member_on_a_break_sees_the_page_but_not_the_place(world, client_for):
    text = page(client_for(world.users["on_break"]), world.meeting)
    assert "Sleep and shift work" in text
    assert PLACE not in text and LINK not in text
    assert "shared with active members of the group only" in text


def test_member_without_a_signature_is_asked_to_sign(world, client_for):
    newcomer = MembershipFactory(group=world.group).user
    text = page(client_for(newcomer), world.meeting)
    assert PLACE not in text and LINK not in text
    assert "once you have signed the group" in text
    assert reverse("groups:agreement_sign", args=[world.group.slug]) in text


def test_place_is_shown_only_hours_before_when_the_group_says_so(world, client_for, member):
    world.group.reveal_location_hours_before = 2
    world.group.save()
    text = page(client_for(member), world.meeting)
    assert PLACE not in text and LINK not in text
    assert "shortly before each meeting" in text
    # The facilitator always sees them, to prepare the room.
    assert PLACE in page(client_for(world.users["facilitator"]), world.meeting)
    # Within the window the member sees them too.
    world.meeting.starts_at = timezone.now() + datetime.timedelta(hours=1)
    world.meeting.ends_at = world.meeting.starts_at + datetime.timedelta(minutes=90)
    world.meeting.save()
    assert PLACE in page(client_for(member), world.meeting)


def test_group_defaults_fill_in_when_the_meeting_has_no_own_place(world, client_for, member):
    meeting = MeetingFactory(group=world.group)
    assert world.group.place in page(client_for(member), meeting)


def test_times_are_in_the_viewers_zone_with_the_groups_time_too(world, client_for):
    viewer = MembershipFactory(group=world.group, user=UserFactory(time_zone="America/New_York"))
    meeting = world.meeting
    text = page(client_for(viewer.user), meeting)
    assert "(America/New_York)" in text
    assert "in the group's time zone (Europe/London)" in text
    new_york = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    london = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/London"))
    assert new_york.strftime("%H:%M") in text
    assert london.strftime("%H:%M") in text


def test_cancelled_meeting_shows_the_reason(world, client_for, member):
    world.meeting.status = Meeting.Status.CANCELLED
    world.meeting.cancel_reason = "The room is flooded."
    world.meeting.save()
    text = page(client_for(member), world.meeting)
    assert "This meeting is cancelled." in text
    assert "The room is flooded." in text


def test_agenda_longer_than_the_meeting_is_flagged(world, client_for, member):
    AgendaItem.objects.create(meeting=world.meeting, title="Everything", minutes=120)
    text = page(client_for(member), world.meeting)
    assert "120 of 90 minutes planned." in text
    assert "The agenda is longer than the meeting." in text


def test_only_facilitators_see_the_manage_buttons(world, client_for, member, facilitator):
    assert "Edit or move" not in page(client_for(member), world.meeting)
    text = page(client_for(facilitator), world.meeting)
    assert "Edit or move" in text and "Facilitator notes" in text


def test_feedback_section_only_for_who_may_use_it(world, client_for, member, facilitator):
    checkout = reverse("feedback:checkout", args=[world.meeting.pk])
    text = page(client_for(facilitator), world.meeting)
    assert checkout in text and 'id="feedback-heading"' in text
    text = page(client_for(member), world.meeting)
    assert checkout not in text and 'id="feedback-heading"' not in text


def test_meeting_page_queries_do_not_grow_with_agenda_and_roles(world, client_for, member):
    client = client_for(member)
    meeting = world.meeting

    def grow():
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, title=f"Item {i}", minutes=3, position=i) for i in range(20)
        )
        for role in MeetingRole.Role.values:
            MeetingRole.objects.create(
                meeting=meeting, role=role, user=MembershipFactory(group=world.group).user
            )

    assert_constant_queries(lambda: page(client, meeting), grow, limit=25)


# --- the group's meeting list ---------------------------------------------------------
def list_page(client, world, query="") -> str:
    url = reverse("meetings:group_list", args=[world.group.slug]) + query
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_group_list_shows_upcoming_and_past_separately(world, client_for, member):
    MeetingFactory(
        group=world.group,
        topic="Last month",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        status=Meeting.Status.COMPLETED,
    )
    client = client_for(member)
    upcoming = list_page(client, world)
    assert "Sleep and shift work" in upcoming and "Last month" not in upcoming
    past = list_page(client, world, "?when=past")
    assert "Last month" in past and "Sleep and shift work" not in past


def test_group_list_empty_state(world, client_for, member):
    Meeting.objects.filter(group=world.group).delete()
    assert "No upcoming meetings are scheduled yet." in list_page(client_for(member), world)
    assert "No past meetings yet." in list_page(client_for(member), world, "?when=past")


def test_group_list_never_shows_the_place(world, client_for, member):
    text = list_page(client_for(member), world)
    assert PLACE not in text and LINK not in text


def test_group_list_is_paginated_and_queries_stay_constant(world, client_for, member):
    client = client_for(member)

    def grow():
        start = timezone.now() + datetime.timedelta(days=10)
        for i in range(25):
            MeetingFactory(group=world.group, starts_at=start + datetime.timedelta(days=7 * i))

    assert_constant_queries(lambda: list_page(client, world), grow, limit=15)
    assert "Page 1 of 2" in list_page(client, world)
    assert "Page 2 of 2" in list_page(client, world, "?page=2")


def test_landing_page_next_meeting_prefers_the_scheduled_meeting(world):
    from groups.selectors import group_directory_search, group_next_meeting

    assert group_next_meeting(world.group) == world.meeting.starts_at
    world.meeting.status = Meeting.Status.CANCELLED
    world.meeting.save()
    # Without a scheduled meeting, the group's usual day and time stand in.
    fallback = group_next_meeting(world.group)
    assert fallback is None or fallback != world.meeting.starts_at
    world.meeting.status = Meeting.Status.SCHEDULED
    world.meeting.save()
    from groups.selectors import DirectoryFilters

    cards = {g.pk: g for g in group_directory_search(filters=DirectoryFilters())}
    assert group_next_meeting(cards[world.group.pk]) == world.meeting.starts_at
