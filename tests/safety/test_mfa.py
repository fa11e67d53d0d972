"""Facilitators and organizers must set up two-step sign-in before they reach their tools."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import MembershipFactory, UserFactory, add_organizer

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/"


def test_a_facilitator_without_mfa_is_sent_to_set_it_up(world, client_for):
    person = UserFactory(email="newfac@example.net")
    MembershipFactory(group=world.group, user=person, role="facilitator", mfa=False)
    client = client_for(person)

    response = client.get("/groups/", follow=True)

    assert response.redirect_chain[0][0].startswith(SETUP)
    assert "set up two-step sign-in" in response.content.decode()


def test_an_organizer_without_mfa_is_sent_to_set_it_up(world, client_for):
    person = UserFactory()
    add_organizer(person, world.organisation, mfa=False)

    response = client_for(person).get(f"/groups/{world.group.slug}/")

    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_becoming_a_facilitator_later_starts_the_requirement(world, client_for):
    person = UserFactory()
    membership = MembershipFactory(group=world.group, user=person)
    client = client_for(person)
    assert client.get("/groups/").status_code == 200

    membership.role = "facilitator"
    membership.save()

    assert client.get("/groups/")["Location"].startswith(SETUP)


def test_members_are_not_forced(world, client_for):
    response = client_for(world.users["member"]).get("/groups/")

    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=world.users["member"]).exists()


def test_with_an_authenticator_the_facilitator_reaches_their_tools(world, client_for):
    response = client_for(world.users["facilitator"]).get(f"/groups/{world.group.slug}/")

    assert response.status_code == 200


def test_account_pages_and_crisis_page_stay_open_without_mfa(world, client_for):
    person = UserFactory()
    add_organizer(person, world.organisation, mfa=False)
    client = client_for(person)

    assert client.get("/crisis/").status_code == 200
    assert client.get("/accounts/email/").status_code == 200


def test_after_setting_up_two_step_sign_in_the_facilitator_goes_where_they_were_going(
    world, client
):
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    from tests.factories import PASSWORD

    person = UserFactory(email="newfac2@example.net")
    MembershipFactory(group=world.group, user=person, role="facilitator", mfa=False)
    client.force_login(person)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    wanted = f"/meetings/group/{world.group.slug}/"
    assert client.get(wanted, follow=True).redirect_chain[-1][0].startswith(SETUP)
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(SETUP, {"code": code}, follow=True)
    assert Authenticator.objects.filter(user=person, type="totp").exists()
    assert response.redirect_chain[0][0] == wanted
    text = response.content.decode()
    # The recovery codes are offered, one click away, without being in the way.
    assert "See my recovery codes" in text and "/accounts/2fa/recovery-codes/" in text
