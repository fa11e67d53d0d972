"""Access needs noted with an RSVP: seen by the member and the meeting's facilitators only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sessions.models import Rsvp
from sessions.services.rsvp import rsvp_set
from tests.factories import MembershipFactory, UserFactory, sign_agreement

pytestmark = pytest.mark.django_db

NEED = "A seat near the door, please: I may need to step out"


def _going_with_need(world, client_for):
    rsvp_set(meeting=world.meeting, member=world.users["member"], status="going", mode="in_person")
    client = client_for(world.users["member"])
    url = reverse("meetings:rsvp_access_needs", args=[world.meeting.pk])
    response = client.post(url, {"access_needs": NEED})
    assert response.status_code == 302
    return client


def test_member_notes_a_need_and_the_facilitator_sees_it(world, client_for):
    client = _going_with_need(world, client_for)
    assert Rsvp.objects.get(user=world.users["member"]).access_needs == NEED
    own_page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert NEED in own_page
    facilitator = client_for(world.users["facilitator"])
    rsvps = facilitator.get(reverse("meetings:rsvp_list", args=[world.meeting.pk]))
    assert NEED in rsvps.content.decode()


def test_nobody_else_sees_the_need(world, client_for):
    _going_with_need(world, client_for)
    # Another member of the same group, going too: their page never holds it.
    other = UserFactory()
    MembershipFactory(group=world.group, user=other)
    sign_agreement(other, world.agreement)
    rsvp_set(meeting=world.meeting, member=other, status="going", mode="in_person")
    page = client_for(other).get(world.meeting.get_absolute_url())
    assert page.status_code == 200 and NEED not in page.content.decode()
    # The organisation's organizer runs the group but is not its facilitator.
    rsvps_url = reverse("meetings:rsvp_list", args=[world.meeting.pk])
    organizer_view = client_for(world.users["organizer"]).get(rsvps_url)
    assert organizer_view.status_code == 200 and NEED not in organizer_view.content.decode()
    for role in ("other_organizer", "other_member", "outsider"):
        response = client_for(world.users[role]).get(rsvps_url)
        assert response.status_code == 404
        page = client_for(world.users[role]).get(world.meeting.get_absolute_url())
        assert NEED not in page.content.decode()


def test_saying_not_going_forgets_the_need(world, client_for):
    _going_with_need(world, client_for)
    rsvp_set(meeting=world.meeting, member=world.users["member"], status="not_going")
    assert Rsvp.objects.get(user=world.users["member"]).access_needs == ""


def test_a_need_without_an_rsvp_is_refused_kindly(world, client_for):
    client = client_for(world.users["member"])
    url = reverse("meetings:rsvp_access_needs", args=[world.meeting.pk])
    response = client.post(url, {"access_needs": NEED}, follow=True)
    assert "Say you&#x27;re going first" in response.content.decode()
    assert not Rsvp.objects.filter(access_needs=NEED).exists()


@pytest.mark.django_db(transaction=True)
def test_going_and_noting_a_need_commit_for_real(client_for):
    """Outside the suite's per-test transaction: each service opens its own (row locks)."""
    from tests.world import build_world

    world = build_world()
    _going_with_need(world, client_for)
    assert Rsvp.objects.get(user=world.users["member"]).access_needs == NEED
