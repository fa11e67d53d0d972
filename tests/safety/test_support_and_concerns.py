"""Asking for more support; concerns, mediation and the reporter's anonymity."""

from __future__ import annotations

import pytest

from groups.models import Concern, Membership, SupportRequest
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_asking_twice_updates_the_open_request(world, client_for):
    client = client_for(world.users["on_break"])
    url = f"/groups/{world.group.slug}/support/"

    client.post(url, {"contact_way": "email", "message": "Rough week"})
    response = client.post(url, {"contact_way": "phone", "message": "07700 900123"}, follow=True)

    mine = SupportRequest.objects.filter(member=world.users["on_break"])
    assert mine.count() == 1
    assert mine.get().contact_way == "phone"
    assert "Waiting for a facilitator" in response.content.decode()


def test_facilitator_sees_the_request_marks_it_handled_and_the_member_sees_that(world, client_for):
    facilitator = client_for(world.users["facilitator"])
    page = facilitator.get(f"/groups/{world.group.slug}/followups/").content.decode()
    assert "Please call me after Thursday" in page

    facilitator.post(f"/groups/{world.group.slug}/followups/{world.support_request.pk}/handled/")

    page = client_for(world.users["member"]).get(f"/groups/{world.group.slug}/support/")
    assert "A facilitator has reached out" in page.content.decode()
    later = client_for(world.users["facilitator"]).get(f"/groups/{world.group.slug}/followups/")
    assert "Nobody is waiting" in later.content.decode()


def test_a_concern_about_oneself_is_refused_kindly(world, client_for):
    member = world.users["member"]
    response = client_for(member).post(
        f"/groups/{world.group.slug}/concerns/new/",
        {"about": member.pk, "description": "I said too much"},
    )

    assert response.status_code == 200
    assert "ask the facilitators for more support" in response.content.decode()
    assert not Concern.objects.filter(about=member).exists()


def test_the_reported_facilitator_never_sees_the_concern_or_its_reporter(world, client_for):
    second = UserFactory(display_name="Second Facilitator")
    MembershipFactory(group=world.group, user=second, role="facilitator")
    client = client_for(world.users["member"])
    client.post(
        f"/groups/{world.group.slug}/concerns/new/",
        {"about": world.users["facilitator"].pk, "description": "Talked over people"},
    )
    concern = Concern.objects.get(about=world.users["facilitator"])

    reported = client_for(world.users["facilitator"])
    assert reported.get(f"/concerns/{concern.pk}/").status_code == 404
    listing = reported.get(f"/groups/{world.group.slug}/followups/").content.decode()
    assert "Talked over people" not in listing
    other = client_for(second).get(f"/concerns/{concern.pk}/").content.decode()
    assert "Talked over people" in other
    assert world.users["member"].display_name in other


def test_mediation_can_remove_a_member_with_a_message_that_hides_the_reporter(
    world, client_for, mailoutbox
):
    concern = world.concern  # reported by member, about on_break
    client = client_for(world.users["facilitator"])

    client.post(f"/concerns/{concern.pk}/", {"action": "note", "note": "Spoke to both"})
    client.post(
        f"/concerns/{concern.pk}/",
        {"action": "removed", "note": "Sharing stories outside breaks our agreement."},
    )
    response = client.post(
        f"/concerns/{concern.pk}/", {"action": "closed", "note": "Member removed"}, follow=True
    )

    membership = Membership.objects.get(group=world.group, user=world.users["on_break"])
    assert membership.status == "removed"
    text = response.content.decode()
    assert "Spoke to both" in text and "Member removed" in text
    to_removed = [m for m in mailoutbox if world.users["on_break"].email in m.to]
    for message in to_removed:
        assert world.users["member"].display_name not in message.body
        assert world.users["member"].email not in message.body


def test_the_followups_page_costs_the_same_for_many_requests(world, client_for):
    from groups.services.safety import support_request_submit
    from tests.support import assert_constant_queries

    client = client_for(world.users["facilitator"])

    def grow():
        for n in range(8):
            person = UserFactory(display_name=f"Asker {n}")
            MembershipFactory(group=world.group, user=person)
            support_request_submit(
                group=world.group, member=person, message="", contact_way="email"
            )
            Concern.objects.create(
                group=world.group, reporter=person, about=world.users["member"], description="x"
            )

    assert_constant_queries(
        lambda: client.get(f"/groups/{world.group.slug}/followups/"), grow, limit=15
    )


def test_organizer_lists_the_organisations_concerns_without_the_email(world, client_for):
    from django.urls import reverse

    from groups.models import Concern

    client = client_for(world.users["organizer"])
    organise = client.get(reverse("groups:organise")).content.decode()
    url = reverse("groups:concerns", args=[world.organisation.slug])
    assert url in organise
    page = client.get(url).content.decode()
    assert reverse("groups:concern", args=[world.concern.pk]) in page
    assert "Harbour Circle" in page and "New" in page
    # Closed ones move to their own tab; one in another organisation never shows.
    Concern.objects.filter(pk=world.concern.pk).update(status=Concern.Status.CLOSED)
    link = reverse("groups:concern", args=[world.concern.pk])
    assert link not in client.get(url).content.decode()
    assert link in client.get(url + "?status=closed").content.decode()
    other = client_for(world.users["other_organizer"]).get(url)
    assert other.status_code == 404


def test_concern_list_queries_do_not_grow_with_concerns(world, client_for):
    from django.urls import reverse

    from groups.models import Concern
    from tests.support import assert_constant_queries

    client = client_for(world.users["organizer"])
    url = reverse("groups:concerns", args=[world.organisation.slug])

    def grow():
        for about in (world.users["member"], world.users["facilitator"], None):
            Concern.objects.create(
                group=world.group, reporter=world.users["member"], about=about, description="M"
            )

    client.get(url)  # warm the permission and row caches, as a signed-in organizer has them
    assert_constant_queries(lambda: client.get(url), grow, limit=30)
