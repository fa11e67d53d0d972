"""Agreements once published: the place-and-link gate, re-sign requests, proposals,
kept signatures."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from groups.models import (
    AgreementProposal,
    AgreementVersion,
    Membership,
    Signature,
)
from groups.selectors import can_see_private_location, memberships_of
from groups.selectors.agreements import (
    AgreementGate,
    agreement_gate,
    groups_needing_signature,
    has_signed_current_agreement,
)
from groups.services.agreements import (
    agreement_publish,
    agreement_request_resignatures,
    signature_create,
)
from tests.factories import (
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)
from tests.groups.agreements_support import (
    RESIGN_SUBJECT,
    _fresh,
    _page,
    _publish_v2,
    _race,
    _sign_data,
    _url,
)
from tests.support import assert_constant_queries, max_queries


# --- the gate -------------------------------------------------------------------------------
def test_gate_selector_for_each_role(world, newcomer):
    group = world.group
    assert can_see_private_location(_fresh(world.users["member"]), group)
    assert not can_see_private_location(_fresh(newcomer), group)
    assert can_see_private_location(_fresh(world.users["facilitator"]), group)
    assert can_see_private_location(_fresh(world.users["organizer"]), group)
    assert not can_see_private_location(_fresh(world.users["on_break"]), group)
    assert not can_see_private_location(_fresh(world.users["pending"]), group)
    assert not can_see_private_location(_fresh(world.users["outsider"]), group)
    assert agreement_gate(_fresh(newcomer), group).state == AgreementGate.NEEDS_SIGNATURE
    assert agreement_gate(_fresh(world.users["member"]), group).state == AgreementGate.SIGNED
    facilitator_gate = agreement_gate(_fresh(world.users["facilitator"]), group)
    assert facilitator_gate.state == AgreementGate.NOT_GATED


def test_a_new_version_gates_members_until_they_sign_again(world):
    _publish_v2(world)
    member = _fresh(world.users["member"])
    assert not has_signed_current_agreement(member, world.group)
    assert not can_see_private_location(member, world.group)
    gate = agreement_gate(member, world.group)
    assert gate.state == AgreementGate.NEEDS_RESIGNATURE
    assert gate.sign_url == _url("agreement_sign", world)
    assert can_see_private_location(_fresh(world.users["facilitator"]), world.group)


def test_a_group_without_a_published_agreement_blocks_nobody(world):
    member = _fresh(world.users["other_member"])
    assert has_signed_current_agreement(member, world.other_group)
    assert can_see_private_location(member, world.other_group)
    assert agreement_gate(member, world.other_group).state == AgreementGate.NOTHING_TO_SIGN


def test_member_area_after_a_new_version_shows_the_banner_and_hides_the_place(world, client_for):
    _publish_v2(world)
    client = client_for(world.users["member"])
    inside = _page(client, reverse("groups:inside", args=[world.group.slug]))
    assert "Your group's agreement was updated" in inside
    assert world.group.place not in inside
    assert world.group.online_link not in inside
    client.post(_url("agreement_sign", world), _sign_data(world, version=2, typed_name=None))
    client.post(
        _url("agreement_sign", world),
        _sign_data(world, version=2, typed_name=world.users["member"].full_name),
    )
    inside = _page(client, reverse("groups:inside", args=[world.group.slug]))
    assert world.group.place in inside
    assert "agreement was updated" not in inside


def test_gate_check_is_one_query_for_all_of_a_persons_groups(world, django_assert_num_queries):
    member = _fresh(world.users["member"])
    for _ in range(3):
        group = PeerGroupFactory(organisation=world.organisation)
        MembershipFactory(group=group, user=member)
        publish_agreement(group)
    member = _fresh(member)
    groups = [m.group for m in Membership.objects.filter(user=member).select_related("group")]
    # memberships, organisation roles, then every group's signing status at once
    with django_assert_num_queries(3):
        for group in groups:
            agreement_gate(member, group)


# --- re-sign requests -----------------------------------------------------------------------
def test_publishing_asks_members_who_signed_before_to_sign_again(
    world, newcomer, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.users["facilitator"])
    client.post(
        _url("agreement_manage", world),
        {"text": "A changed rule.", "online_addendum": "Headphones on."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("agreement_publish", world))
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == sorted([world.users["member"].email, world.users["on_break"].email])
    for message in mailoutbox:
        assert message.subject == RESIGN_SUBJECT
        assert world.group.name not in message.subject
        assert _url("agreement_sign", world) in message.body
    version = AgreementVersion.objects.get(group=world.group, number=2)
    with django_capture_on_commit_callbacks(execute=True):
        agreement_request_resignatures(version=version)  # a retry sends nothing more
    assert len(mailoutbox) == 2


def test_first_publication_sends_no_resign_email(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    group = PeerGroupFactory(format="in_person")
    facilitator = UserFactory()
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    MembershipFactory(group=group)
    with django_capture_on_commit_callbacks(execute=True):
        agreement_publish(group=group, user=facilitator)
    assert mailoutbox == []


def test_resign_email_in_discreet_mode_never_names_the_group(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    member = world.users["member"]
    member.discreet_mode = True
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        _publish_v2(world)
    [message] = [m for m in mailoutbox if member.email in m.to]
    assert world.group.name not in message.subject
    assert world.group.name not in message.body
    assert "One of your groups has published an updated agreement." in message.body
    assert "unsubscribe" in message.body.lower() or "Stop this kind of email" in message.body


def test_facilitator_sees_who_signed_which_version(world, newcomer, client_for):
    _publish_v2(world)
    sign_agreement(world.users["on_break"], AgreementVersion.objects.get(number=2))
    page = client_for(world.users["facilitator"]).get(_url("agreement_signatures", world))
    body = page.content.decode()
    assert "Current version: 2. 3 members still have to sign it." in body
    assert "Nia" in body and "Member" in body and "On Break" in body
    assert "Signed the current version" in body
    assert "Still has to sign" in body
    assert "Pending" not in body  # waiting requests are not members yet


def test_signing_table_queries_do_not_grow_with_members(world, client_for):
    client = client_for(world.users["facilitator"])

    def grow():
        for _ in range(5):
            user = MembershipFactory(group=world.group).user
            sign_agreement(user, world.agreement)

    assert_constant_queries(lambda: client.get(_url("agreement_signatures", world)), grow, limit=20)


def test_version_history_queries_do_not_grow_with_versions(world, client_for):
    client = client_for(world.users["member"])
    assert_constant_queries(
        lambda: client.get(_url("agreement_versions", world)),
        lambda: [publish_agreement(world.group, text=f"v{i}") for i in range(4)],
        limit=20,
    )


# --- proposals ------------------------------------------------------------------------------
def test_member_proposes_a_change_and_facilitator_accepts_it(world, client_for):
    client = client_for(world.users["member"])
    response = client.post(
        _url("agreement_propose", world), {"text": "Phones in bags, please."}, follow=True
    )
    assert "Your proposal was sent to the facilitators" in response.content.decode()
    proposal = AgreementProposal.objects.get(text="Phones in bags, please.")
    client = client_for(world.users["facilitator"])
    page = client.get(_url("agreement_manage", world)).content.decode()
    assert "Phones in bags, please." in page
    assert "What is shared here stays here." in page  # the current text, next to it
    response = client.post(
        _url("agreement_proposal_decide", world, proposal.pk), {"status": "accepted"}, follow=True
    )
    assert "The proposal is marked accepted" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert proposal.decided_by == world.users["facilitator"]
    mine = _page(client_for(world.users["member"]), _url("agreement_propose", world))
    assert "Phones in bags, please." in mine and "Accepted" in mine


def test_manage_page_queries_do_not_grow_with_proposals(world, client_for):
    client = client_for(world.users["facilitator"])

    def grow():
        for i in range(5):
            author = MembershipFactory(group=world.group).user
            AgreementProposal.objects.create(group=world.group, author=author, text=f"Idea {i}")

    client.get(_url("agreement_manage", world))  # the first visit creates the draft
    assert_constant_queries(lambda: client.get(_url("agreement_manage", world)), grow, limit=20)


def test_empty_proposal_and_unknown_decision_are_explained(world, client_for):
    client = client_for(world.users["member"])
    response = client.post(_url("agreement_propose", world), {"text": "  "})
    assert "This field is required" in response.content.decode()
    client = client_for(world.users["facilitator"])
    response = client.post(
        _url("agreement_proposal_decide", world, world.agreement_proposal.pk),
        {"status": "maybe"},
        follow=True,
    )
    assert "Please choose to accept or decline" in response.content.decode()


# --- signatures are kept --------------------------------------------------------------------
def test_edits_and_new_versions_never_change_signatures(world, client_for):
    before = list(Signature.objects.values_list("pk", "version_id", "content_hash", "typed_name"))
    client_for(world.users["organizer"]).post(
        reverse("groups:agreement_template_edit", args=[world.organisation.slug, "ground_rules"]),
        {"text": "Other rules"},
    )
    _publish_v2(world)
    after = list(Signature.objects.values_list("pk", "version_id", "content_hash", "typed_name"))
    assert sorted(before) == sorted(after)
    signature = Signature.objects.first()
    signature.typed_name = "changed"
    with pytest.raises(ValueError, match="never changed"):
        signature.save()


def test_account_deletion_keeps_the_signature_without_identity(world):
    member = world.users["member"]
    signature_pk = Signature.objects.get(member=member).pk
    member.delete()
    kept = Signature.objects.get(pk=signature_pk)
    assert kept.member is None
    assert kept.typed_name == ""
    assert kept.content_hash == world.agreement.content_hash


# --- the gate on meeting pages and RSVP (the meetings area asks the same selector) --------
def test_meeting_page_hides_place_and_link_until_the_new_version_is_signed(world, client_for):
    meeting = world.meeting
    client = client_for(world.users["member"])
    page = _page(client, reverse("meetings:detail", args=[meeting.pk]))
    assert meeting.place in page  # signed the current version
    _publish_v2(world)
    page = _page(client, reverse("meetings:detail", args=[meeting.pk]))
    assert meeting.place not in page
    assert meeting.online_link not in page
    assert "signed the group's current agreement" in page
    assert _url("agreement_sign", world) in page
    facilitator_page = _page(
        client_for(world.users["facilitator"]), reverse("meetings:detail", args=[meeting.pk])
    )
    assert meeting.place in facilitator_page


def test_rsvp_is_refused_until_the_current_version_is_signed(world, client_for):
    _publish_v2(world)
    client = client_for(world.users["member"])
    url = reverse("meetings:rsvp", args=[world.meeting.pk])
    response = client.post(url, {"status": "going", "mode": "in_person"}, follow=True)
    assert "sign the group's current agreement" in html.unescape(response.content.decode())
    client.post(
        _url("agreement_sign", world),
        _sign_data(world, version=2, typed_name=world.users["member"].full_name),
    )
    response = client.post(url, {"status": "going", "mode": "in_person"}, follow=True)
    assert "sign the group's current agreement" not in html.unescape(response.content.decode())
    assert world.meeting.rsvps.filter(user=world.users["member"], status="going").exists()


# --- the banner on the member's home page ----------------------------------------------------
def test_home_asks_members_to_sign_new_versions_at_once(world, newcomer, client_for):
    home = _page(client_for(world.users["member"]), "/")
    assert "Agreements waiting for your signature" not in home
    _publish_v2(world)
    home = _page(client_for(world.users["member"]), "/")
    assert "Agreements waiting for your signature" in home
    assert "Read and sign the agreement of Harbour Circle" in home
    assert _url("agreement_sign", world) in home
    assert "Read and sign the agreement of Harbour Circle" in _page(client_for(newcomer), "/")
    for role in ["facilitator", "organizer", "pending", "outsider", "other_member"]:
        home = _page(client_for(world.users[role]), "/")
        assert "Agreements waiting for your signature" not in home, role


def test_home_banner_costs_one_query_when_everything_is_signed(world):
    member = _fresh(world.users["member"])
    for _ in range(3):
        group = PeerGroupFactory(organisation=world.organisation)
        MembershipFactory(group=group, user=member)
        sign_agreement(member, publish_agreement(group))
    member = _fresh(member)
    memberships_of(member)  # cached by the navigation on every page anyway
    with max_queries(1):
        assert groups_needing_signature(member) == []


@pytest.mark.django_db(transaction=True)
def test_simultaneous_double_submit_signs_once(world, newcomer):
    def sign(i):
        user = _fresh(newcomer)
        return signature_create(
            group=world.group,
            user=user,
            version_number=1,
            typed_name=user.full_name,
            consent=True,
            addendum_acknowledged=True,
        ).pk

    results = _race(4, sign)
    assert len(set(results)) == 1, results
    assert Signature.objects.filter(member=newcomer).count() == 1


def test_online_addendum_heading_appears_once(world, client_for):
    from groups.agreement_defaults import default_text
    from groups.models import AgreementVersion
    from groups.models.agreements import agreement_content_hash

    group = PeerGroupFactory(organisation=world.organisation, format="online")
    MembershipFactory(group=group, user=world.users["member"])
    # A version published from the older default, whose text began with the heading.
    addendum = "Online addendum\n\n1. I join from a private space."
    version = AgreementVersion.objects.create(
        group=group,
        number=1,
        text="We keep what is shared here.",
        online_addendum=addendum,
        content_hash=agreement_content_hash("We keep what is shared here.", addendum),
    )
    page = client_for(world.users["member"]).get(version.get_absolute_url()).content.decode()
    assert page.count("Online addendum") == 1
    assert "I join from a private space" in page
    assert not default_text("online_addendum").startswith("Online addendum")
