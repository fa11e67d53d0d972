"""Organisations: setting one up, editing it, appointing people, partners, the public page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from groups.models import Membership, MembershipEvent, Organisation, OrganisationRole
from tests.factories import MembershipFactory, PeerGroupFactory, UserFactory

pytestmark = pytest.mark.django_db

ORG_DATA = {
    "name": "Solent Peer Circles",
    "description": "Groups along the coast.",
    "contact_email": "hello@solent.test",
    "contact_phone": "",
    "website": "",
    "crisis_resources": "Samaritans: 116 123",
    "professional_referrals": "Talking Therapies",
    "notes_retention_days": "90",
}


def people_url(org) -> str:
    return f"/orgs/{org.slug}/people/"


def with_authenticator(user):
    """Organizers and facilitators use two-step sign-in before they reach their tools."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    return user


def test_anyone_signed_in_sets_up_an_organisation_and_becomes_its_organizer(client_for, world):
    client = client_for(with_authenticator(world.users["outsider"]))
    response = client.post("/orgs/new/", ORG_DATA, follow=True)
    organisation = Organisation.objects.get(name="Solent Peer Circles")
    assert organisation.slug == "solent-peer-circles"
    assert response.redirect_chain[-1][0] == "/orgs/solent-peer-circles/"
    body = response.content.decode()
    assert "You are its first organizer" in body and "Samaritans: 116 123" in body
    assert OrganisationRole.objects.filter(
        organisation=organisation, user=world.users["outsider"], role="organizer"
    ).exists()
    body = client.get("/organise/").content.decode()
    assert "Solent Peer Circles" in body
    assert 'href="/organise/"' in client.get("/").content.decode()  # nav now offers Organise


def test_visitors_are_asked_to_sign_in_before_setting_up_an_organisation(client):
    response = client.get("/orgs/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_organisation_text_is_escaped_and_overlong_input_is_a_form_error(client_for, world):
    client = client_for(with_authenticator(world.users["outsider"]))
    data = {**ORG_DATA, "name": "<script>alert(1)</script>", "description": "<b>bold</b>"}
    response = client.post("/orgs/new/", data, follow=True)
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;b&gt;bold" in body
    count = Organisation.objects.count()
    response = client.post("/orgs/new/", {**ORG_DATA, "name": "N" * 500, "description": "d" * 6000})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ensure this value has at most 120 characters" in body
    assert "at most 5000 characters" in body
    assert "d" * 6000 in body  # what they typed is kept in the form
    assert Organisation.objects.count() == count


def test_an_organisation_called_new_gets_an_address_that_works(client_for, world):
    client_for(world.users["outsider"]).post("/orgs/new/", {**ORG_DATA, "name": "New"})
    assert Organisation.objects.get(name="New").slug == "new-2"


def test_organizers_edit_their_organisation_and_others_get_404(client_for, world):
    organisation = world.organisation
    url = f"/orgs/{organisation.slug}/edit/"
    data = {**ORG_DATA, "name": "Harbour Renamed", "crisis_resources": "Call 999"}
    assert client_for(world.users["other_organizer"]).post(url, data).status_code == 404
    assert client_for(world.users["facilitator"]).get(url).status_code == 404
    response = client_for(world.users["organizer"]).post(url, data, follow=True)
    assert "The organisation&#x27;s details are saved." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Harbour Renamed" and organisation.crisis_resources == "Call 999"
    assert organisation.slug == "harbour-test"  # shared links keep working


def test_public_organisation_page_shows_safety_partners_and_listed_groups(client, world):
    organisation = world.organisation
    organisation.crisis_resources = "Harbour helpline 0800 000"
    organisation.professional_referrals = "Tide Clinic"
    organisation.save()
    organisation.partners.create(name="Solent Mind", description="Advice")
    PeerGroupFactory(organisation=organisation, name="Secret Circle", visibility="private")
    body = client.get(f"/orgs/{organisation.slug}/").content.decode()
    for text in ["Harbour helpline 0800 000", "Tide Clinic", "Solent Mind", "Harbour Circle"]:
        assert text in body
    assert "Secret Circle" not in body
    assert 'id="crisis"' in body and 'id="referrals"' in body
    assert "Edit details" not in body


def _accept(user, client_for):
    """The invitee accepts every invitation waiting for them, in the app."""
    from groups.models import RoleInvitation

    client = client_for(user)
    for invitation in RoleInvitation.objects.filter(invitee=user):
        response = client.post(f"/me/invitations/{invitation.token}/accept/")
        assert response.status_code == 302
    return client


def test_organizer_invites_another_organizer_by_email(client_for, world):
    client = client_for(world.users["organizer"])
    url = f"/orgs/{world.organisation.slug}/people/organizers/"
    response = client.post(url, {"email": "MEMBER@world.test"}, follow=True)
    assert "Invitation sent to MEMBER@world.test." in response.content.decode()
    member = world.users["member"]
    assert not OrganisationRole.objects.filter(organisation=world.organisation, user=member)
    _accept(member, client_for)
    assert OrganisationRole.objects.filter(organisation=world.organisation, user=member).exists()
    client = client_for(world.users["organizer"])
    body = client.post(url, {"email": "not an email"}).content.decode()
    assert "Enter a valid email address" in body


def test_organizers_are_removed_but_never_the_last_one(client_for, world):
    organisation = world.organisation
    client = client_for(world.users["organizer"])
    own = organisation.roles.get(user=world.users["organizer"])
    url = f"/orgs/{organisation.slug}/people/organizers/{own.pk}/remove/"
    response = client.post(url, follow=True)
    assert "needs at least one organizer" in response.content.decode()
    assert organisation.roles.filter(pk=own.pk).exists()
    second = OrganisationRole.objects.create(organisation=organisation, user=world.users["member"])
    response = client.post(
        f"/orgs/{organisation.slug}/people/organizers/{second.pk}/remove/", follow=True
    )
    assert "Member is no longer an organizer." in response.content.decode()
    assert not organisation.roles.filter(pk=second.pk).exists()
    # A role of another organisation cannot be reached through this one.
    foreign = world.other_organisation.roles.get()
    assert (
        client.post(f"/orgs/{organisation.slug}/people/organizers/{foreign.pk}/remove/").status_code
        == 404
    )
    assert client.get(url).status_code == 405


def test_organizer_invites_a_facilitator_and_the_history_is_kept(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = with_authenticator(UserFactory(email="sam@world.test", display_name="Sam"))
    client = client_for(world.users["organizer"])
    url = f"/orgs/{world.organisation.slug}/people/facilitators/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"group": world.other_group.pk, "email": "sam@world.test"}, follow=True
        )
    assert "Invitation sent to sam@world.test." in response.content.decode()
    assert not Membership.objects.filter(group=world.other_group, user=newcomer).exists()
    # Sam hears it by email, with the link to accept or decline.
    [email] = mailoutbox
    assert email.to == ["sam@world.test"]
    assert email.subject == "An invitation to help run a peer support group"
    assert "Other Circle" in email.body and "Nothing changes unless you accept" in email.body
    link = next(word for word in email.body.split() if "/me/invitations/" in word)
    sam = client_for(newcomer)
    page = sam.get(link.split("8000", 1)[-1])
    assert "Facilitator of Other Circle" in page.content.decode()
    sam.post(link.split("8000", 1)[-1] + "accept/")
    membership = Membership.objects.get(group=world.other_group, user=newcomer)
    assert (membership.role, membership.status) == ("facilitator", "active")
    assert MembershipEvent.objects.filter(membership=membership, to_status="active").exists()
    # Sam now sees the Organise page and can edit the group.
    assert 'href="/organise/"' in sam.get("/").content.decode()
    assert sam.get(f"/groups/{world.other_group.slug}/edit/").status_code == 200


def test_an_existing_member_is_promoted_and_demoted_again(client_for, world):
    client = client_for(world.users["organizer"])
    url = f"/orgs/{world.organisation.slug}/people/facilitators/"
    client.post(url, {"group": world.group.pk, "email": "member@world.test"})
    membership = world.group.memberships.get(user=world.users["member"])
    assert membership.role == "member"
    _accept(world.users["member"], client_for)
    membership.refresh_from_db()
    assert membership.role == "facilitator"
    client = client_for(world.users["organizer"])
    body = client.post(url, {"group": world.group.pk, "email": "member@world.test"}, follow=True)
    assert "Invitation sent to member@world.test." in body.content.decode()
    response = client.post(
        f"/orgs/{world.organisation.slug}/people/facilitators/{membership.pk}/remove/", follow=True
    )
    assert "no longer facilitates Harbour Circle and stays a member" in response.content.decode()
    membership.refresh_from_db()
    assert (membership.role, membership.status) == ("member", "active")
    assert list(membership.events.values_list("message", flat=True)) == [
        "Accepted the invitation to facilitate.",
        "No longer a facilitator.",
    ]


def test_facilitators_only_of_the_organisations_own_groups(client_for, world):
    foreign = PeerGroupFactory(organisation=world.other_organisation)
    client = client_for(world.users["organizer"])
    url = f"/orgs/{world.organisation.slug}/people/facilitators/"
    body = client.post(url, {"group": foreign.pk, "email": "member@world.test"}).content.decode()
    assert "Select a valid choice" in body
    assert not foreign.memberships.exists()
    outsider_membership = MembershipFactory(group=foreign, role="facilitator")
    response = client.post(
        f"/orgs/{world.organisation.slug}/people/facilitators/{outsider_membership.pk}/remove/"
    )
    assert response.status_code == 404


def test_people_page_lists_organizers_and_facilitators(client_for, world):
    body = client_for(world.users["organizer"]).get(people_url(world.organisation))
    text = body.content.decode()
    assert "Organizer" in text and "Facilitator" in text and "Harbour Circle" in text
    assert "Remove Facilitator as facilitator" in text


def test_partners_are_listed_added_and_removed(client_for, client, world):
    organizer = client_for(world.users["organizer"])
    url = f"/orgs/{world.organisation.slug}/partners/"
    body = organizer.get(url).content.decode()
    assert "No partners yet" in body
    response = organizer.post(
        url,
        {"name": "Tide <em>Clinic</em>", "website": "tide.test", "description": "Therapy"},
        follow=True,
    )
    body = response.content.decode()
    assert "Tide &lt;em&gt;Clinic&lt;/em&gt; is listed as a partner." in body
    partner = world.organisation.partners.get()
    assert partner.website == "https://tide.test"
    body = organizer.post(url, {"name": "x" * 200}).content.decode()
    assert "at most 120 characters" in body
    assert world.organisation.partners.count() == 1
    response = organizer.post(f"{url}{partner.pk}/remove/", follow=True)
    assert "is no longer listed" in response.content.decode()
    assert not world.organisation.partners.exists()


def test_organise_page_lists_what_a_person_runs(client_for, world):
    body = client_for(world.users["facilitator"]).get("/organise/").content.decode()
    assert "Harbour Circle" in body and "Other Circle" not in body
    assert "You do not organise an organisation." in body
    body = client_for(world.users["organizer"]).get("/organise/").content.decode()
    assert "Harbour Test Network" in body and "Other Circle" in body
    body = client_for(world.users["member"]).get("/organise/").content.decode()
    assert "You do not run a group yet." in body and "Set up a new organisation" in body


def test_staff_browse_organisations_groups_and_memberships_in_the_admin(client_for, world):
    client = client_for(world.users["staff"])
    membership = world.group.memberships.get(user=world.users["member"])
    for url in [
        "/admin/groups/organisation/",
        f"/admin/groups/organisation/{world.organisation.pk}/change/",
        "/admin/groups/peergroup/",
        f"/admin/groups/peergroup/{world.group.pk}/change/",
        "/admin/groups/membership/",
        f"/admin/groups/membership/{membership.pk}/change/",
        "/admin/groups/contactaccesslog/",
    ]:
        assert client.get(url).status_code == 200, url


def test_seed_demo_builds_groups_of_every_kind_and_the_demo_memberships():
    import io

    from django.core.management import call_command

    from groups.models import PeerGroup

    call_command("seed_demo", stdout=io.StringIO())
    counts = (PeerGroup.objects.count(), Membership.objects.count(), Organisation.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        PeerGroup.objects.count(),
        Membership.objects.count(),
        Organisation.objects.count(),
    ) == counts
    groups = PeerGroup.objects.all()
    assert {g.format for g in groups} == {"in_person", "online", "hybrid"}
    assert {g.join_policy for g in groups} == {"open", "approval", "invitation"}
    assert {g.visibility for g in groups} == {"listed", "unlisted", "private"}
    assert PeerGroup.objects.listed().count() >= 15

    def roles(email):
        return sorted(
            (m.group.slug, m.role, m.status)
            for m in Membership.objects.filter(user__email=email).select_related("group")
        )

    assert [r[1] for r in roles("facilitator@example.org")] == ["facilitator", "facilitator"]
    assert [r[2] for r in roles("member@example.org")] == ["active", "active"]
    assert [r[2] for r in roles("newcomer@example.org")] == ["pending"]
    assert Membership.objects.get(user__email="newcomer@example.org").intake_answers
    assert [r[2] for r in roles("onbreak@example.org")] == ["on_break"]
    other = roles("other@example.org")
    assert len(other) == 1 and other[0][0] not in {r[0] for r in roles("member@example.org")}
    assert roles("outsider@example.org") == []
    harbour = Organisation.objects.get(name="Harbour Peer Network")
    assert harbour.crisis_resources and harbour.professional_referrals
    assert harbour.roles.filter(user__email="organizer@example.org").exists()
    fr = PeerGroup.objects.get(slug="first-responders-peer-circle")
    assert fr.format == "hybrid" and fr.online_link.startswith("https://meet.jit.si/")


def test_organise_page_link_texts_are_short_and_each_link_name_distinct(world, client_for):
    import re

    page = client_for(world.users["organizer"]).get(reverse("groups:organise")).content.decode()
    section = page.split('id="groups-heading"', 1)[1]
    links = re.findall(r"<a [^>]*>(.*?)</a>", section, flags=re.S)
    names = [re.sub(r"<[^>]+>", "", link).strip() for link in links]
    visible = [re.sub(r'<span class="visually-hidden">.*?</span>', "", link) for link in links]
    # What sighted people read: the group's name once (its own link), not in every link.
    assert sum(world.group.name in text for text in visible) == 1
    assert "Edit the group" in visible and "Join requests" in visible
    # What a screen reader's list of links reads: every name distinct.
    assert len(names) == len(set(names))
