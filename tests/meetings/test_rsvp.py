"""RSVP: going / not going, seats and the waitlist, closing time, one-click links, emails."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from peersupport.errors import DomainError
from sessions.models import Rsvp
from sessions.selectors.rsvp import rsvp_panel, rsvp_waitlist_position
from sessions.services import rsvp as services
from tests.factories import MeetingFactory, MembershipFactory, UserFactory, sign_agreement
from tests.support import assert_constant_queries, meeting_edit

pytestmark = pytest.mark.django_db


def _members(world, n):
    """`n` more active members of the world's group who signed its agreement."""
    people = []
    for _ in range(n):
        user = UserFactory()
        MembershipFactory(group=world.group, user=user)
        sign_agreement(user, world.agreement)
        people.append(user)
    return people


def _small_meeting(world, seats=2, **fields):
    fields.setdefault("format", "in_person")
    return MeetingFactory(group=world.group, capacity=seats, **fields)


def _status(meeting, user):
    return Rsvp.objects.get(meeting=meeting, user=user).status


def test_rsvp_from_meeting_page_shows_going_and_seat_count(world, client_for):
    meeting = _small_meeting(world, seats=3)
    client = client_for(world.users["member"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "0 of 3 seats taken, 3 left" in page
    response = client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"})
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "You're going" in page
    assert "1 of 3 seats taken, 2 left" in page


def test_rsvp_set_when_full_joins_waitlist_with_position(world):
    meeting = _small_meeting(world, seats=1)
    first, second, third = _members(world, 3)
    assert services.rsvp_set(meeting=meeting, member=first, status="going").status == "going"
    waiting = services.rsvp_set(meeting=meeting, member=second, status="going")
    later = services.rsvp_set(meeting=meeting, member=third, status="going")
    assert waiting.status == later.status == "waitlisted"
    assert rsvp_waitlist_position(waiting) == 1
    assert rsvp_waitlist_position(later) == 2


def test_rsvp_page_says_waitlist_number(world, client_for):
    meeting = _small_meeting(world, seats=1)
    (first,) = _members(world, 1)
    services.rsvp_set(meeting=meeting, member=first, status="going")
    client = client_for(world.users["member"])
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"}, follow=True
    )
    assert "you are on the waitlist (number 1)" in response.content.decode()


def test_rsvp_cancel_promotes_first_waiting_and_emails_them(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _small_meeting(world, seats=1)
    first, second, third = _members(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_set(meeting=meeting, member=first, status="going")
        services.rsvp_set(meeting=meeting, member=second, status="going")
        services.rsvp_set(meeting=meeting, member=third, status="going")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_set(meeting=meeting, member=first, status="not_going")
    assert _status(meeting, second) == "going"
    assert _status(meeting, third) == "waitlisted"
    assert [m.to for m in mailoutbox] == [[second.email]]
    message = mailoutbox[0]
    assert "seat freed up" in message.subject
    assert world.group.name not in message.subject
    assert message.attachments[0][0] == "meeting.ics"


def test_promoted_member_releases_seat_and_next_is_promoted(world):
    meeting = _small_meeting(world, seats=1)
    first, second, third = _members(world, 3)
    for person in (first, second, third):
        services.rsvp_set(meeting=meeting, member=person, status="going")
    services.rsvp_set(meeting=meeting, member=first, status="not_going")
    services.rsvp_set(meeting=meeting, member=second, status="not_going")
    assert [_status(meeting, p) for p in (first, second, third)] == [
        "not_going",
        "not_going",
        "going",
    ]


def test_rsvp_changing_mind_repeatedly_keeps_one_row_and_never_overfills(world):
    meeting = _small_meeting(world, seats=1)
    first, second = _members(world, 2)
    for _ in range(3):
        services.rsvp_set(meeting=meeting, member=first, status="going")
        services.rsvp_set(meeting=meeting, member=first, status="going")
        services.rsvp_set(meeting=meeting, member=second, status="going")
        services.rsvp_set(meeting=meeting, member=first, status="not_going")
        services.rsvp_set(meeting=meeting, member=second, status="not_going")
    assert Rsvp.objects.filter(meeting=meeting).count() == 2
    assert Rsvp.objects.filter(meeting=meeting, status="going").count() == 0


def test_rsvp_going_confirmation_email_carries_invite(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _small_meeting(world, seats=3)
    member = world.users["member"]
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_set(meeting=meeting, member=member, status="going")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "You're going" in message.subject
    assert world.group.name not in message.subject
    filename, content, mimetype = message.attachments[0]
    assert filename == "meeting.ics" and "method=REQUEST" in mimetype
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["uid"]) == f"meeting-{meeting.pk}@peersupport"
    assert "/meetings/rsvp/" in message.body  # the "can't make it" link


def test_rsvp_hybrid_modes_have_their_own_seats(world):
    meeting = MeetingFactory(group=world.group, format="hybrid", capacity=1, online_capacity=1)
    first, second, third = _members(world, 3)
    assert services.rsvp_set(meeting=meeting, member=first, status="going", mode="in_person")
    online = services.rsvp_set(meeting=meeting, member=second, status="going", mode="online")
    assert online.status == "going"
    late = services.rsvp_set(meeting=meeting, member=third, status="going", mode="online")
    assert late.status == "waitlisted"
    # Switching kind frees the in-person seat... and takes nothing that isn't free.
    switched = services.rsvp_set(meeting=meeting, member=second, status="going", mode="in_person")
    assert switched.status == "waitlisted"
    assert _status(meeting, third) == "going"


def test_rsvp_hybrid_without_mode_is_refused_with_message(world, client_for):
    meeting = MeetingFactory(group=world.group, format="hybrid", capacity=3, online_capacity=3)
    client = client_for(world.users["member"])
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"}, follow=True
    )
    assert "in person or online" in response.content.decode()
    assert not Rsvp.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "cancelled"}, "was cancelled"),
        (
            {
                "starts_at": timezone.now() - datetime.timedelta(hours=2),
                "ends_at": timezone.now() - datetime.timedelta(hours=1),
            },
            "already started or taken place",
        ),
        (
            {
                "starts_at": timezone.now() + datetime.timedelta(hours=3),
                "ends_at": timezone.now() + datetime.timedelta(hours=4),
                "rsvp_closes_hours_before": 6,
            },
            "have closed",
        ),
    ],
)
def test_rsvp_refused_for_cancelled_past_or_closed_meeting(world, client_for, fields, message):
    meeting = _small_meeting(world, seats=3, **fields)
    client = client_for(world.users["member"])
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"}, follow=True
    )
    assert message in response.content.decode()
    assert not Rsvp.objects.filter(meeting=meeting).exists()


def test_rsvp_on_break_is_asked_to_come_back(world, client_for):
    meeting = _small_meeting(world)
    client = client_for(world.users["on_break"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Would you like to come back?" in page
    assert reverse("groups:inside", args=[world.group.slug]) in page
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"}, follow=True
    )
    assert "taking a break" in response.content.decode()
    assert not Rsvp.objects.filter(meeting=meeting).exists()


def test_rsvp_without_current_signature_is_refused(world, client_for):
    meeting = _small_meeting(world)
    unsigned = UserFactory()
    MembershipFactory(group=world.group, user=unsigned)
    client = client_for(unsigned)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "current agreement to RSVP" in page
    client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"})
    assert not Rsvp.objects.filter(meeting=meeting).exists()


def test_facilitator_is_never_asked_to_sign_to_rsvp_to_their_groups_meeting(world, client_for):
    meeting = _small_meeting(world)
    new_facilitator = UserFactory()
    MembershipFactory(group=world.group, user=new_facilitator, role="facilitator")
    client = client_for(new_facilitator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "current agreement to RSVP" not in page
    assert ">I'm going</button>" in page
    client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"})
    assert _status(meeting, new_facilitator) == "going"


def test_capacity_lowered_keeps_everyone_and_shows_over_capacity(world, client_for):
    meeting = _small_meeting(world, seats=3)
    people = _members(world, 3)
    for person in people:
        services.rsvp_set(meeting=meeting, member=person, status="going")
    meeting.capacity = 1
    meeting.save()
    assert Rsvp.objects.filter(meeting=meeting, status="going").count() == 3
    client = client_for(world.users["facilitator"])
    page = client.get(reverse("meetings:rsvp_list", args=[meeting.pk])).content.decode()
    assert "Over capacity by 2" in page
    assert "over capacity by 2" in client.get(meeting.get_absolute_url()).content.decode()
    going = Rsvp.objects.get(meeting=meeting, user=people[2])
    client.post(reverse("meetings:rsvp_to_waitlist", args=[meeting.pk, going.pk]))
    assert _status(meeting, people[2]) == "waitlisted"
    page = client.get(reverse("meetings:rsvp_list", args=[meeting.pk])).content.decode()
    assert "Over capacity by 1" in page
    # A newcomer can't take a seat while it is over capacity.
    (late,) = _members(world, 1)
    assert services.rsvp_set(meeting=meeting, member=late, status="going").status == "waitlisted"


def test_capacity_raised_promotes_waiting(world, django_capture_on_commit_callbacks):
    meeting = _small_meeting(world, seats=1)
    first, second = _members(world, 2)
    services.rsvp_set(meeting=meeting, member=first, status="going")
    services.rsvp_set(meeting=meeting, member=second, status="going")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_edit(meeting, by=world.users["facilitator"], capacity=2)
    assert _status(meeting, second) == "going"


# --- One-click links --------------------------------------------------------------------
def test_rsvp_link_get_changes_nothing_post_frees_seat(world, client):
    meeting = _small_meeting(world, seats=1)
    member = world.users["member"]
    (waiting,) = _members(world, 1)
    services.rsvp_set(meeting=meeting, member=member, status="going")
    services.rsvp_set(meeting=meeting, member=waiting, status="going")
    url = services.rsvp_link_url(meeting=meeting, member=member, status="not_going")
    response = client.get(url)
    assert response.status_code == 200
    assert "Please confirm that you can't make it" in response.content.decode()
    assert _status(meeting, member) == "going"
    response = client.post(url)
    assert "Thanks for letting us know" in response.content.decode()
    assert _status(meeting, member) == "not_going"
    assert _status(meeting, waiting) == "going"


def test_rsvp_link_forged_shows_clear_message(world, client):
    meeting = _small_meeting(world)
    url = services.rsvp_link_url(meeting=meeting, member=world.users["member"], status="going")
    response = client.get(url[:-3] + "xyz/")
    assert response.status_code == 200
    assert "This link is not valid" in response.content.decode()
    response = client.post(url[:-3] + "xyz/")
    assert "This link is not valid" in response.content.decode()
    assert not Rsvp.objects.filter(meeting=meeting).exists()


def test_rsvp_link_expired_shows_clear_message(world, client):
    meeting = _small_meeting(world)
    aged = _aged_token(meeting, world.users["member"])
    response = client.get(reverse("meetings:rsvp_link", args=[aged]))
    assert response.status_code == 200
    assert "This link has expired" in response.content.decode()


def _aged_token(meeting, member):
    """A link signed 60 days ago (TimestampSigner takes its clock from time.time)."""
    import time
    from unittest import mock

    with mock.patch.object(time, "time", return_value=time.time() - 60 * 86400):
        return services.rsvp_link_token(meeting=meeting, member=member, status="going")


# --- Query counts -----------------------------------------------------------------------
def test_meeting_page_queries_constant_in_rsvps(world, client_for):
    meeting = _small_meeting(world, seats=50)
    client = client_for(world.users["member"])
    services.rsvp_set(meeting=meeting, member=world.users["member"], status="going")

    def grow():
        for person in _members(world, 8):
            services.rsvp_set(meeting=meeting, member=person, status="going")

    assert_constant_queries(lambda: client.get(meeting.get_absolute_url()), grow, limit=40)


def test_rsvp_list_queries_constant(world, client_for):
    meeting = _small_meeting(world, seats=50)
    client = client_for(world.users["facilitator"])
    (one,) = _members(world, 1)
    services.rsvp_set(meeting=meeting, member=one, status="going")

    def grow():
        for person in _members(world, 8):
            services.rsvp_set(meeting=meeting, member=person, status="going")

    assert_constant_queries(
        lambda: client.get(reverse("meetings:rsvp_list", args=[meeting.pk])), grow, limit=30
    )


def test_seed_demo_gives_member_rsvps_a_waitlist_and_an_event(db):
    import io

    from django.core.management import call_command

    from sessions.models import CommunityEvent

    call_command("seed_demo", stdout=io.StringIO())
    counts = Rsvp.objects.count(), CommunityEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Rsvp.objects.count(), CommunityEvent.objects.count()) == counts
    member_rsvps = Rsvp.objects.filter(user__email="member@example.org")
    assert member_rsvps.filter(status="going").exists()
    waiting = member_rsvps.get(status="waitlisted")
    assert rsvp_waitlist_position(waiting) == 1
    assert CommunityEvent.objects.filter(organisation__name="Harbour Peer Network").exists()


def test_facilitator_sets_when_rsvps_close_and_members_are_told(world, client_for):
    meeting = _small_meeting(
        world,
        starts_at=timezone.now() + datetime.timedelta(hours=5),
        ends_at=timezone.now() + datetime.timedelta(hours=6),
    )
    client = client_for(world.users["facilitator"])
    page = client.get(reverse("meetings:rsvp_list", args=[meeting.pk])).content.decode()
    assert "When RSVPs close" in page
    response = client.post(
        reverse("meetings:rsvp_closing", args=[meeting.pk]), {"hours": "24"}, follow=True
    )
    assert "RSVPs close at the new time" in response.content.decode()
    response = client.post(
        reverse("meetings:rsvp_closing", args=[meeting.pk]), {"hours": "-3"}, follow=True
    )
    assert "between 0 and 336" in response.content.decode()
    member_page = client_for(world.users["member"]).get(meeting.get_absolute_url())
    assert "RSVPs for this meeting have closed" in member_page.content.decode()


def test_facilitator_dashboard_shows_rsvp_counts(world, client_for):
    meeting = _small_meeting(world, seats=1, topic="Counting seats")
    first, second = _members(world, 2)
    services.rsvp_set(meeting=meeting, member=first, status="going")
    services.rsvp_set(meeting=meeting, member=second, status="going")
    page = client_for(world.users["facilitator"]).get(reverse("meetings:facilitator_dashboard"))
    assert "1 going, 1 waiting" in page.content.decode()


def test_after_rsvps_close_a_member_can_still_free_their_seat(world, client_for):
    meeting = _small_meeting(
        world,
        seats=1,
        starts_at=timezone.now() + datetime.timedelta(hours=3),
        ends_at=timezone.now() + datetime.timedelta(hours=4),
    )
    member = world.users["member"]
    (waiting,) = _members(world, 1)
    services.rsvp_set(meeting=meeting, member=member, status="going")
    services.rsvp_set(meeting=meeting, member=waiting, status="going")
    services.rsvp_closing_set(meeting=meeting, hours=6, by=world.users["facilitator"])
    client = client_for(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "have closed" in page and "free my seat" in page
    client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"status": "not_going"})
    assert _status(meeting, member) == "not_going"
    assert _status(meeting, waiting) == "going"
    response = client.post(
        reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"}, follow=True
    )
    assert "have closed" in response.content.decode()
    assert _status(meeting, member) == "not_going"


def test_newcomer_never_jumps_the_waitlist_when_a_seat_appears(world):
    meeting = _small_meeting(world, seats=1)
    first, waiting, newcomer = _members(world, 3)
    services.rsvp_set(meeting=meeting, member=first, status="going")
    services.rsvp_set(meeting=meeting, member=waiting, status="going")
    # Capacity raised, but the promotion task has not run yet (no on-commit callbacks here).
    meeting_edit(meeting, by=world.users["facilitator"], capacity=2)
    assert services.rsvp_set(meeting=meeting, member=newcomer, status="going").status == (
        "waitlisted"
    )
    assert _status(meeting, waiting) == "going"


@pytest.mark.parametrize("who", ["on_break", "pending", "outsider"])
def test_rsvp_refusal_names_the_reason_the_panel_shows(world, client_for, who):
    """One eligibility rule: what the service refuses with is what the panel explains."""
    meeting = _small_meeting(world)
    user = world.users[who]
    shown = rsvp_panel(user, meeting).blocked_message
    with pytest.raises(DomainError) as refused:
        services.rsvp_set(meeting=meeting, member=user, status="going")
    assert shown and refused.value.message == shown


def test_seats_drawn_once_show_another_members_answer_at_once_but_not_their_state(
    world, client_for
):
    meeting = _small_meeting(world, seats=3)
    first, second = _members(world, 2)
    for person in (first, second):  # both pages drawn (and kept) before anybody answers
        assert (
            "0 of 3 seats taken, 3 left"
            in client_for(person).get(meeting.get_absolute_url()).content.decode()
        )
    client_for(first).post(reverse("meetings:rsvp", args=[meeting.pk]), {"status": "going"})
    page = client_for(second).get(meeting.get_absolute_url()).content.decode()
    assert "1 of 3 seats taken, 2 left" in page
    assert "You're going" not in page and ">I'm going</button>" in page
    assert "You're going" in client_for(first).get(meeting.get_absolute_url()).content.decode()


def test_over_capacity_badge_is_shown_to_facilitators_only_though_seats_are_drawn_once(
    world, client_for
):
    meeting = _small_meeting(world, seats=2)
    people = _members(world, 2)
    for person in people:
        services.rsvp_set(meeting=meeting, member=person, status="going")
    meeting.capacity = 1
    meeting.save()
    assert (
        "over capacity by 1"
        in client_for(world.users["facilitator"]).get(meeting.get_absolute_url()).content.decode()
    )
    page = client_for(people[0]).get(meeting.get_absolute_url()).content.decode()
    assert "2 of 1 seats taken, 0 left" in page and "over capacity" not in page
