"""Roles only by consent, tried as an attacker would.

Anyone with a verified account can create an organisation. Its organizer can only *ask*
other people to help run it: until they accept nothing changes for them, and the
appointer learns nothing about an address from the answer.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection

from groups.models import AuditEntry, Membership, Organisation, OrganisationRole, RoleInvitation
from members.models import User
from tests.factories import MembershipFactory, PeerGroupFactory, UserFactory, give_mfa

pytestmark = pytest.mark.django_db

ORG_DATA = {
    "name": "Totally Legit Network",
    "description": "Not what it seems.",
    "contact_email": "",
    "contact_phone": "",
    "website": "",
    "crisis_resources": "",
    "professional_referrals": "",
    "notes_retention_days": "90",
}


@pytest.fixture
def attack(world, client_for):
    """An outsider sets up their own organisation with one group they facilitate."""
    attacker = world.users["outsider"]
    give_mfa(attacker)
    client = client_for(attacker)
    response = client.post("/orgs/new/", ORG_DATA)
    assert response.status_code == 302  # creating an organisation stays open to anyone
    organisation = Organisation.objects.get(name=ORG_DATA["name"])
    group = PeerGroupFactory(organisation=organisation, name="Bait Circle", slug="bait-circle")
    MembershipFactory(group=group, user=attacker, role="facilitator")
    victim = world.users["member"]
    victim.full_name = "Victoria Quietname"
    victim.display_name = "Vicky Vee"
    victim.save()
    return attacker, organisation, group, victim


def _invite(client_for, attacker, organisation, group, email):
    client = client_for(attacker)
    organizer = client.post(
        f"/orgs/{organisation.slug}/people/organizers/", {"email": email}, follow=True
    )
    facilitator = client.post(
        f"/orgs/{organisation.slug}/people/facilitators/",
        {"group": group.pk, "email": email},
        follow=True,
    )
    lead = client.post(f"/orgs/{organisation.slug}/safeguarding/", {"email": email}, follow=True)
    return organizer, facilitator, lead


def test_nothing_changes_for_the_invitee_before_acceptance(attack, client_for, world):
    attacker, organisation, group, victim = attack
    _invite(client_for, attacker, organisation, group, victim.email)

    assert not OrganisationRole.objects.filter(organisation=organisation, user=victim).exists()
    assert not Membership.objects.filter(group=group, user=victim).exists()
    # No two-step demand, no new menu: the victim's pages are as before.
    client = client_for(victim)
    home = client.get("/")
    assert home.status_code == 200
    assert 'href="/organise/"' not in home.content.decode()
    assert client.get("/me/groups/").status_code == 200
    # The invitations wait where the victim looks, and only there.
    assert "You have been asked to help run 3 groups or organisations" in home.content.decode()
    page = client.get("/me/invitations/").content.decode()
    assert "Organizer of Totally Legit Network" in page and "Facilitator of Bait Circle" in page
    assert "Safeguarding lead of Totally Legit Network" in page
    # The attacker sees no trace of the victim among people or members.
    attacker_client = client_for(attacker)
    for url in (f"/orgs/{organisation.slug}/people/", f"/groups/{group.slug}/members/"):
        body = attacker_client.get(url).content.decode()
        assert victim.display_name not in body and victim.email not in body


def test_contact_details_only_after_acceptance(attack, client_for):
    attacker, organisation, group, victim = attack
    _invite(client_for, attacker, organisation, group, victim.email)
    attacker_client = client_for(attacker)
    # Before: there is no membership to open, whatever id is tried.
    for pk in Membership.objects.values_list("pk", flat=True):
        response = attacker_client.get(f"/groups/{group.slug}/members/{pk}/contact/")
        assert "Victoria Quietname" not in response.content.decode()
    # The victim accepts the facilitator invitation (and only that one).
    invitation = RoleInvitation.objects.get(invitee=victim, role="facilitator")
    client_for(victim).post(f"/me/invitations/{invitation.token}/accept/")
    membership = Membership.objects.get(group=group, user=victim)
    assert (membership.role, membership.status) == ("facilitator", "active")
    body = client_for(attacker).get(f"/groups/{group.slug}/members/{membership.pk}/contact/")
    text = body.content.decode()
    assert "Victoria Quietname" in text and victim.email in text
    # The organizer invitation still waits: accepting one is not accepting both.
    assert not OrganisationRole.objects.filter(organisation=organisation, user=victim).exists()


def _normalised(response, email: str) -> str:
    # Only the echo of what the appointer typed is set aside (the page may list existing
    # organizers' addresses, which must stay as they are), and the appointer's own bell:
    # inviting their own address ("already organizer") gives them a notice of their own.
    text = response.content.decode().replace(
        f"Invitation sent to {email}.", "Invitation sent to EMAIL."
    )
    text = re.sub(
        r'<li class="nav-item"><a class="nav-link[^"]*" href="/me/notices/".*?</li>',
        "",
        text,
        flags=re.S,
    )
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_the_appointer_reads_the_same_for_any_address(attack, client_for, mailoutbox, world):
    attacker, organisation, group, victim = attack
    users_before = User.objects.count()
    addresses = {
        "known": victim.email,
        "unknown": "nobody-at-all@nowhere.test",
        "already organizer": attacker.email,
        "known, asked again": victim.email,
        "known, other case": victim.email.upper(),
    }
    answers = {}
    for label, email in addresses.items():
        answers[label] = [
            (r.status_code, [status for _url, status in r.redirect_chain], _normalised(r, email))
            for r in _invite(client_for, attacker, organisation, group, email)
        ]
        assert "Invitation sent to EMAIL." in answers[label][0][2]
    first = answers["known"]
    for label, answer in answers.items():
        assert answer == first, f"{label} answers differently from a known address"
    # No account is made for the unknown address, and nothing is sent to it.
    assert User.objects.count() == users_before
    assert not any("nobody-at-all@nowhere.test" in m.to for m in mailoutbox)
    assert not RoleInvitation.objects.exclude(invitee__in=[victim, attacker]).exists()
    # Someone already in a role is not asked again (the attacker is an organizer and
    # facilitator already; only the safeguarding role was new to them).
    assert list(RoleInvitation.objects.filter(invitee=attacker).values_list("role", flat=True)) == [
        "safeguarding"
    ]
    # The victim was asked once per role, however often the attacker tried.
    assert RoleInvitation.objects.filter(invitee=victim).count() == 3


def _table_counts() -> dict[str, int]:
    ours = {"groups", "members", "meetings", "feedback", "peersupport", "account", "mfa"}
    models = [m for m in apps.get_models() if m._meta.app_label in ours and not m._meta.proxy]
    counts = {}
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our table names
            counts[model._meta.db_table] = cursor.fetchone()[0]
    return counts


def test_declining_leaves_nothing_behind(
    attack, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    attacker, organisation, group, victim = attack
    before = _table_counts()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for, attacker, organisation, group, victim.email)
    assert len(mailoutbox) == 3  # the victim is told, by email, with the way to decline
    client = client_for(victim)
    for invitation in RoleInvitation.objects.filter(invitee=victim):
        response = client.post(f"/me/invitations/{invitation.token}/decline/", follow=True)
        assert "Nothing has changed for you" in response.content.decode()
    assert _table_counts() == before
    assert not AuditEntry.objects.filter(subject=victim).exists()
    assert "You have been asked" not in client.get("/").content.decode()


def test_a_left_membership_comes_back_only_by_accepting(attack, client_for):
    attacker, organisation, group, victim = attack
    left = MembershipFactory(group=group, user=victim, status="left")
    _invite(client_for, attacker, organisation, group, victim.email)
    left.refresh_from_db()
    assert (left.role, left.status) == ("member", "left")
    client = client_for(victim)
    page = client.get("/me/invitations/").content.decode()
    assert "accepting makes you an active member again" in page
    invitation = RoleInvitation.objects.get(invitee=victim, role="facilitator")
    client.post(f"/me/invitations/{invitation.token}/accept/")
    left.refresh_from_db()
    assert (left.role, left.status) == ("facilitator", "active")
    assert left.events.filter(from_status="left", to_status="active").exists()


def test_a_removed_membership_is_never_brought_back(attack, client_for):
    attacker, organisation, group, victim = attack
    removed = MembershipFactory(group=group, user=victim, status="removed")
    _invite(client_for, attacker, organisation, group, victim.email)
    invitation = RoleInvitation.objects.get(invitee=victim, role="facilitator")
    client = client_for(victim)
    response = client.post(f"/me/invitations/{invitation.token}/accept/", follow=True)
    assert "cannot be accepted" in response.content.decode()
    removed.refresh_from_db()
    assert (removed.role, removed.status) == ("member", "removed")


def test_an_invitation_is_nobody_elses(attack, client_for, world):
    attacker, organisation, group, victim = attack
    _invite(client_for, attacker, organisation, group, victim.email)
    invitation = RoleInvitation.objects.filter(invitee=victim).first()
    for user in (attacker, world.users["facilitator"], UserFactory()):
        client = client_for(user)
        assert client.get(f"/me/invitations/{invitation.token}/").status_code == 404
        assert client.post(f"/me/invitations/{invitation.token}/accept/").status_code == 404
    assert RoleInvitation.objects.filter(pk=invitation.pk).exists()
