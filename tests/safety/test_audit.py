"""The audit log of sensitive actions, readable by organizers of the organisation."""

from __future__ import annotations

import pytest

from groups.models import AuditEntry
from groups.services.membership import contact_access_log, membership_remove
from groups.services.organisations import (
    role_invitation_accept,
    role_invitation_send,
)
from tests.factories import MembershipFactory, UserFactory
from tests.support import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_sensitive_actions_show_in_the_organisers_log(world, client_for):
    facilitator = world.users["facilitator"]
    contact_access_log(group=world.group, viewer=facilitator, member=world.users["member"])
    membership = MembershipFactory(group=world.group, user=UserFactory(display_name="Robin"))
    membership_remove(membership=membership, actor=facilitator, message="Repeated breaches")
    role_invitation_send(
        organisation=world.organisation,
        group=world.group,
        role="facilitator",
        email=world.users["on_break"].email,
        by=world.users["organizer"],
    )
    role_invitation_accept(invitation=world.users["on_break"].role_invitations.get())

    page = client_for(world.users["organizer"]).get("/orgs/harbour-test/audit/")

    text = page.content.decode()
    for action in ("contact_view", "membership_removed", "facilitator_appointed"):
        assert action in text
    assert "Robin" in text
    assert "Repeated breaches" not in text  # the message to the member is not audit data


def test_another_organisations_organizer_sees_nothing(world, client_for):
    response = client_for(world.users["other_organizer"]).get("/orgs/harbour-test/audit/")

    assert response.status_code == 404


def test_the_log_page_costs_the_same_for_many_entries(world, client_for):
    from peersupport.audit import audit_record

    client = client_for(world.users["organizer"])

    def grow():
        for n in range(20):
            audit_record(
                actor=world.users["facilitator"],
                action="contact_view",
                organisation=world.organisation,
                target_repr=f"Person {n}",
            )

    assert_constant_queries(lambda: client.get("/orgs/harbour-test/audit/"), grow, limit=12)
    assert AuditEntry.objects.filter(organisation=world.organisation).count() == 21
