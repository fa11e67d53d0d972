"""The signed-in home page: the next step of each person, in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import CheckinReceipt, CheckoutOpening, GoalReview
from groups.models import Concern
from sessions.models import AgendaItem, Attendance, Rsvp
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)
from tests.support import assert_constant_queries

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def _meeting(group, *, hours: float, **kwargs):
    starts = (timezone.now() + datetime.timedelta(hours=hours)).replace(microsecond=0)
    return MeetingFactory(
        group=group, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90), **kwargs
    )


def test_home_lists_a_members_next_meeting_not_yet_answered_with_a_one_click_rsvp(
    client_for, world
):
    html = _home(client_for(world.users["member"]))
    assert "Your next meetings" in html
    assert world.meeting.get_absolute_url() in html
    assert "Not answered yet" in html
    assert reverse("meetings:rsvp", args=[world.meeting.pk]) in html
    # Never the place or the link, even for a member who may see them on the meeting page.
    assert world.meeting.place not in html and world.meeting.online_link not in html


def test_home_rsvp_button_sends_the_member_back_home_with_the_outcome(client_for, world):
    client = client_for(world.users["member"])
    response = client.post(
        reverse("meetings:rsvp", args=[world.meeting.pk]),
        {"status": "going", "mode": "in_person", "back": "home"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert Rsvp.objects.get(meeting=world.meeting, user=world.users["member"]).status == "going"
    html = _home(client)
    assert "You&#x27;re going. A confirmation" in html
    assert "badge text-bg-success" in html  # the meeting's state now: going


def test_home_tells_a_member_who_has_not_signed_why_they_cannot_rsvp(client_for, world):
    newcomer = UserFactory()
    MembershipFactory(group=world.group, user=newcomer)
    html = _home(client_for(newcomer))
    assert world.meeting.get_absolute_url() in html
    assert reverse("meetings:rsvp", args=[world.meeting.pk]) not in html
    assert "sign the group&#x27;s current agreement to RSVP" in html
    assert reverse("groups:agreement_sign", args=[world.group.slug]) in html


def test_home_of_someone_on_a_break_or_waiting_shows_no_meetings(client_for, world):
    for role in ("on_break", "pending", "outsider"):
        html = _home(client_for(world.users[role]))
        assert world.meeting.get_absolute_url() not in html, role


def test_home_shows_a_survey_to_answer_until_it_is_answered(client_for, world):
    member = world.users["member"]
    held = _meeting(world.group, hours=-3)
    Attendance.objects.create(meeting=held, user=member, status="present")
    client = client_for(member)
    survey = reverse("feedback:checkin", args=[held.pk])
    assert survey in _home(client)
    CheckinReceipt.objects.create(meeting=held, member=member)
    assert survey not in _home(client)


def test_home_shows_the_survey_once_the_check_out_is_open_in_the_room(client_for, world):
    member = world.users["member"]
    running = _meeting(world.group, hours=-0.5)
    client = client_for(member)
    survey = reverse("feedback:checkin", args=[running.pk])
    assert survey not in _home(client)  # not marked present, no check-out
    CheckoutOpening.objects.create(meeting=running, opened_by=world.users["facilitator"])
    assert survey in _home(client)


def test_home_shows_an_open_purpose_review_to_members_only(client_for, world):
    today = timezone.localdate()
    review = GoalReview.objects.create(
        group=world.group, opened_on=today, closes_on=today + datetime.timedelta(days=21)
    )
    assert review.get_absolute_url() in _home(client_for(world.users["member"]))
    assert review.get_absolute_url() not in _home(client_for(world.users["other_member"]))


def test_facilitator_home_shows_requests_followups_attendance_and_missing_agendas(
    client_for, world
):
    held = _meeting(world.group, hours=-2)
    html = _home(client_for(world.users["facilitator"]))
    assert "People waiting for you" in html
    assert reverse("groups:requests", args=[world.group.slug]) in html  # the pending member
    assert reverse("groups:followups", args=[world.group.slug]) in html  # support request
    assert reverse("meetings:attendance", args=[held.pk]) in html
    assert reverse("meetings:agenda", args=[world.meeting.pk]) in html
    assert reverse("meetings:roles", args=[world.meeting.pk]) in html
    Attendance.objects.create(meeting=held, user=world.users["member"], status="present")
    AgendaItem.objects.create(meeting=world.meeting, title="Check-in round", minutes=10)
    html = _home(client_for(world.users["facilitator"]))
    assert reverse("meetings:attendance", args=[held.pk]) not in html
    assert reverse("meetings:agenda", args=[world.meeting.pk]) not in html


def test_facilitator_home_asks_no_agenda_of_a_meeting_already_running(client_for, world):
    running = _meeting(world.group, hours=-0.5)
    html = _home(client_for(world.users["facilitator"]))
    assert reverse("meetings:attendance", args=[running.pk]) in html
    assert reverse("meetings:agenda", args=[running.pk]) not in html


def test_member_home_shows_no_facilitator_or_organizer_parts(client_for, world):
    html = _home(client_for(world.users["member"]))
    for heading in ("People waiting for you", "Your meetings need", "Your organisations"):
        assert heading not in html


def test_organizer_home_lists_open_concerns_and_the_dashboard(client_for, world):
    html = _home(client_for(world.users["organizer"]))
    assert reverse("groups:concern", args=[world.concern.pk]) in html
    assert reverse("feedback:org_dashboard", args=[world.organisation.slug]) in html
    assert world.concern.description not in html  # only that one waits, behind its page
    Concern.objects.filter(pk=world.concern.pk).update(status="closed")
    assert reverse("groups:concern", args=[world.concern.pk]) not in _home(
        client_for(world.users["organizer"])
    )


def test_home_never_lists_a_concern_to_the_person_it_is_about(client_for, world):
    about = world.users["facilitator"]
    concern = Concern.objects.create(
        group=world.group, reporter=world.users["member"], about=about, description="x"
    )
    html = _home(client_for(about))
    assert reverse("groups:concern", args=[concern.pk]) not in html


def _warm_after(client, grow, *args):
    """Grow, then fetch once: new memberships renew the person's cached rows, which the
    next request reloads once (that is the row cache, not the page)."""

    def run():
        grow(*args)
        _home(client)

    return run


def _grow_member(member, n: int) -> None:
    for i in range(n):
        group = PeerGroupFactory()
        MembershipFactory(group=group, user=member)
        sign_agreement(member, publish_agreement(group))
        meeting = _meeting(group, hours=24 + i)
        Rsvp.objects.create(meeting=meeting, user=member, status="going", mode="in_person")
        held = _meeting(group, hours=-3 - i)
        Attendance.objects.create(meeting=held, user=member, status="present")
        today = timezone.localdate()
        GoalReview.objects.create(group=group, opened_on=today, closes_on=today)


def test_member_home_query_budget_is_constant(client_for, world):
    member = world.users["member"]
    client = client_for(member)
    _home(client)
    assert_constant_queries(
        lambda: _home(client), _warm_after(client, _grow_member, member, 12), limit=12
    )


def test_facilitator_home_query_budget_is_constant(client_for, world):
    facilitator = world.users["facilitator"]
    client = client_for(facilitator)

    def grow():
        for i in range(12):
            group = PeerGroupFactory(organisation=world.organisation)
            MembershipFactory(group=group, user=facilitator, role="facilitator")
            MembershipFactory(group=group, user=UserFactory(), status="pending", joined_at=None)
            _meeting(group, hours=30 + i)
            _meeting(group, hours=-2 - i)

    _home(client)
    # 16, and the bell's unread count in the header on the cold path.
    assert_constant_queries(lambda: _home(client), _warm_after(client, grow), limit=17)


def test_member_area_and_group_page_list_the_groups_next_meetings(client_for, world, client):
    inside = reverse("groups:inside", args=[world.group.slug])
    page = reverse("groups:detail", args=[world.group.slug])
    member = client_for(world.users["member"])
    for url in (inside, page):
        html = member.get(url).content.decode()
        assert world.meeting.get_absolute_url() in html, url
        assert reverse("meetings:group_list", args=[world.group.slug]) in html
    # Visitors and outsiders see the group page without the list (and its cached copy).
    for other in (client, client_for(world.users["outsider"])):
        html = other.get(page).content.decode()
        assert world.meeting.get_absolute_url() not in html
        assert "Upcoming meetings" not in html
