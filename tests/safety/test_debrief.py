"""Facilitator debriefs after a meeting, escalated to the safeguarding lead until closed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from groups.models import OrganisationRole
from sessions.models import Debrief
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_meeting(world):
    return MeetingFactory(group=world.group, starts_at=timezone.now() - datetime.timedelta(hours=3))


def test_facilitator_writes_a_debrief_and_escalates_it_the_lead_closes_it(
    world, past_meeting, client_for
):
    client = client_for(world.users["facilitator"])
    response = client.post(
        f"/meetings/{past_meeting.pk}/debrief/",
        {"how_it_went": "Tense", "concerns": "Talk of self-harm", "escalate": "on"},
        follow=True,
    )
    assert "Escalated, open" in response.content.decode()

    lead = client_for(world.safeguarding_lead)
    page = lead.get("/meetings/orgs/harbour-test/escalations/").content.decode()
    assert "Talk of self-harm" in page
    debrief = Debrief.objects.get(meeting=past_meeting)
    lead.post(f"/meetings/escalations/{debrief.pk}/close/", {"outcome": "Spoke to them"})

    debrief.refresh_from_db()
    assert debrief.escalation == "closed"
    assert debrief.escalation_outcome == "Spoke to them"


def test_closing_needs_an_outcome(world, client_for):
    lead = client_for(world.safeguarding_lead)
    response = lead.post(f"/meetings/escalations/{world.debrief.pk}/close/", {}, follow=True)

    assert "Please write the outcome" in response.content.decode()
    assert Debrief.objects.get(pk=world.debrief.pk).escalation == "open"


def test_organizers_and_members_cannot_read_debriefs(world, past_meeting, client_for):
    for role in ("organizer", "member"):
        assert (
            client_for(world.users[role]).get(f"/meetings/{past_meeting.pk}/debrief/").status_code
            == 404
        )


def test_a_debrief_waits_for_the_meeting(world, client_for):
    response = client_for(world.users["facilitator"]).post(
        f"/meetings/{world.meeting.pk}/debrief/", {"how_it_went": "?"}
    )

    assert "after the meeting has started" in response.content.decode()


def test_organizers_appoint_a_safeguarding_lead_who_then_sees_escalations(world, client_for):
    from tests.factories import UserFactory, give_mfa

    person = UserFactory(email="carer@example.net", display_name="Casey")
    give_mfa(person)
    organizer = client_for(world.users["organizer"])

    response = organizer.post(
        "/orgs/harbour-test/safeguarding/", {"email": "carer@example.net"}, follow=True
    )
    assert "Invitation sent to carer@example.net." in response.content.decode()
    casey = client_for(person)
    # Nothing to read before Casey accepts the invitation.
    assert casey.get("/meetings/orgs/harbour-test/escalations/").status_code == 404
    invitation = person.role_invitations.get()
    assert (
        "Safeguarding lead of Harbour Test Network"
        in casey.get("/me/invitations/").content.decode()
    )
    casey.post(f"/me/invitations/{invitation.token}/accept/")
    page = casey.get("/meetings/orgs/harbour-test/escalations/")
    assert "Someone seemed very low" in page.content.decode()


def test_the_safeguarding_page_links_to_escalations_only_for_a_lead(world, client_for):
    url = f"/orgs/{world.organisation.slug}/safeguarding/"
    escalations = f"/meetings/orgs/{world.organisation.slug}/escalations/"
    assert escalations not in client_for(world.users["organizer"]).get(url).content.decode()

    OrganisationRole.objects.create(
        organisation=world.organisation,
        user=world.users["organizer"],
        role=OrganisationRole.Role.SAFEGUARDING_LEAD,
    )
    assert escalations in client_for(world.users["organizer"]).get(url).content.decode()
