"""Agreements: templates, versions, signing, the place-and-link gate, re-sign requests."""

from __future__ import annotations

import hashlib
import html
import re
import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from groups.models import (
    AgreementProposal,
    AgreementTemplate,
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
    agreement_draft_update,
    agreement_publish,
    agreement_request_resignatures,
    signature_create,
)
from members.models import User
from peersupport.errors import DomainError
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)
from tests.support import assert_constant_queries, max_queries

RESIGN_SUBJECT = "Please read your group's updated agreement"


def _url(name, world, *more):
    return reverse(f"groups:{name}", args=[world.group.slug, *more])


def _page(client, url) -> str:
    return html.unescape(client.get(url).content.decode())


def _fresh(user):
    """The same person as a new request would load them (no cached roles or signatures)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def newcomer(world):
    """An active member of the world's group who has not signed anything yet."""
    user = UserFactory(display_name="Nia", full_name="Nia Okonkwo-Smith")
    MembershipFactory(group=world.group, user=user)
    return user


def _sign_data(world, **overrides):
    data = {
        "version": world.agreement.number,
        "consent": "on",
        "addendum_acknowledged": "on",
        "typed_name": "  nia   OKONKWO-smith ",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _publish_v2(world, text="What is shared here stays here.\nWe start on time."):
    facilitator = world.users["facilitator"]
    agreement_draft_update(
        group=world.group, text=text, online_addendum="No recording.", user=facilitator
    )
    return agreement_publish(group=world.group, user=facilitator)


# --- organisation templates ---------------------------------------------------------------
def test_new_organisation_gets_the_default_templates(db):
    org = OrganisationFactory()
    texts = dict(AgreementTemplate.objects.filter(organisation=org).values_list("kind", "text"))
    assert set(texts) == {"confidentiality", "ground_rules", "online_addendum"}
    assert "What is shared in the group stays in the group." in texts["confidentiality"]
    assert "risk of harm" in texts["confidentiality"]
    assert "not professional care" in texts["confidentiality"]
    assert "One person speaks at a time" in texts["ground_rules"]
    assert "Listening without judgement" in texts["ground_rules"]
    assert "never record" in texts["online_addendum"]
    assert "connection drops" in texts["online_addendum"]


def test_organizer_edits_a_template_and_new_drafts_start_from_it(world, client_for):
    client = client_for(world.users["organizer"])
    url = reverse("groups:agreement_template_edit", args=[world.organisation.slug, "ground_rules"])
    assert "One person speaks at a time" in client.get(url).content.decode()
    response = client.post(url, {"text": "Be kind.\nListen."}, follow=True)
    assert "The template is saved" in response.content.decode()
    group = PeerGroupFactory(organisation=world.organisation, format="in_person")
    MembershipFactory(group=group, user=world.users["organizer"], role="facilitator")
    page = client.get(reverse("groups:agreement_manage", args=[group.slug])).content.decode()
    assert "Be kind." in page
    assert "Online addendum" not in page  # in-person groups have no addendum


def test_template_with_empty_text_is_refused_and_kept(world, client_for):
    client = client_for(world.users["organizer"])
    url = reverse("groups:agreement_template_edit", args=[world.organisation.slug, "ground_rules"])
    response = client.post(url, {"text": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    kept = AgreementTemplate.objects.get(organisation=world.organisation, kind="ground_rules")
    assert "One person speaks at a time" in kept.text


def test_unknown_template_kind_is_404(world, client_for):
    client = client_for(world.users["organizer"])
    url = reverse("groups:agreement_template_edit", args=[world.organisation.slug, "nonsense"])
    assert client.get(url).status_code == 404


# --- publishing -----------------------------------------------------------------------------
def test_facilitator_publishes_a_new_version_and_the_old_one_stays_readable(world, client_for):
    client = client_for(world.users["facilitator"])
    response = client.post(
        _url("agreement_manage", world),
        {"text": "Be kind.\nNo advice.", "online_addendum": "Headphones on."},
        follow=True,
    )
    assert "Draft saved" in response.content.decode()
    response = client.post(_url("agreement_publish", world), follow=True)
    assert "Version 2 is published" in response.content.decode()
    version = AgreementVersion.objects.get(group=world.group, number=2)
    expected = "Be kind.\nNo advice.\n\n--- online addendum ---\n\nHeadphones on."
    assert version.content_hash == hashlib.sha256(expected.encode()).hexdigest()
    assert version.published_by == world.users["facilitator"]
    history = client.get(_url("agreement_versions", world)).content.decode()
    assert "Version 1" in history and "Version 2" in history
    old = client.get(_url("agreement_version", world, 1)).content.decode()
    assert "What is shared here stays here." in old
    assert "A newer version replaces this one." in old


def test_publishing_an_unchanged_draft_is_refused(world, client_for):
    client = client_for(world.users["facilitator"])
    _publish_v2(world)
    response = client.post(_url("agreement_publish", world), follow=True)
    assert "is the same as version 2, so nothing was published" in response.content.decode()
    assert AgreementVersion.objects.filter(group=world.group).count() == 2


def test_hybrid_group_cannot_publish_without_an_online_addendum(world):
    agreement_draft_update(
        group=world.group, text="New text", online_addendum="", user=world.users["facilitator"]
    )
    with pytest.raises(DomainError, match="online addendum"):
        agreement_publish(group=world.group, user=world.users["facilitator"])


def _race(workers: int, work) -> list:
    """Run `work(i)` in threads released together; returns results or exceptions."""
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_get_consecutive_numbers(world):
    facilitator = world.users["facilitator"]

    def publish(i):
        with transaction.atomic():
            agreement_draft_update(
                group=world.group, text=f"Rule {i}", online_addendum="Quiet", user=facilitator
            )
            return agreement_publish(group=world.group, user=facilitator).number

    results = _race(4, publish)
    assert sorted(results) == [2, 3, 4, 5], results
    numbers = AgreementVersion.objects.filter(group=world.group).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2, 3, 4, 5]


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_of_the_same_draft_create_one_version(world):
    facilitator = world.users["facilitator"]
    agreement_draft_update(
        group=world.group, text="Same for all", online_addendum="Quiet", user=facilitator
    )
    results = _race(4, lambda i: agreement_publish(group=world.group, user=facilitator).number)
    assert results.count(2) == 1
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 3
    assert AgreementVersion.objects.filter(group=world.group).count() == 2


def test_a_published_version_is_immutable(world):
    world.agreement.text = "changed"
    with pytest.raises(ValueError, match="immutable"):
        world.agreement.save()


# --- signing --------------------------------------------------------------------------------
def test_member_signs_and_then_sees_the_place(world, newcomer, client_for):
    client = client_for(newcomer)
    inside = _page(client, reverse("groups:inside", args=[world.group.slug]))
    assert world.group.place not in inside
    assert "Please sign your group's agreement" in inside
    assert _url("agreement_sign", world) in inside
    page = client.get(_url("agreement_sign", world)).content.decode()
    assert "What is shared here stays here." in page
    assert "Join from a private space." in page  # the online addendum of a hybrid group
    response = client.post(_url("agreement_sign", world), _sign_data(world), follow=True)
    assert "Thank you for signing" in response.content.decode()
    signature = Signature.objects.get(member=newcomer)
    assert signature.version == world.agreement
    assert signature.content_hash == world.agreement.content_hash
    assert signature.typed_name == "nia OKONKWO-smith"
    assert signature.addendum_acknowledged
    inside = _page(client, reverse("groups:inside", args=[world.group.slug]))
    assert world.group.place in inside
    assert world.group.online_link in inside


def test_signing_an_outdated_version_is_refused(world, newcomer, client_for):
    client = client_for(newcomer)
    _publish_v2(world)  # while the page with version 1 was open
    response = client.post(_url("agreement_sign", world), _sign_data(world, version=1))
    assert "A new version was published, please read it again" in response.content.decode()
    assert not Signature.objects.filter(member=newcomer).exists()


def test_double_submit_signs_once(world, newcomer, client_for):
    client = client_for(newcomer)
    client.post(_url("agreement_sign", world), _sign_data(world))
    response = client.post(_url("agreement_sign", world), _sign_data(world), follow=True)
    assert response.status_code == 200
    assert Signature.objects.filter(member=newcomer).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"typed_name": "   "}, "Please type your name to sign."),
        ({"typed_name": "Someone Else"}, "does not match the full name on your profile"),
        ({"consent": None}, "Please tick the box to say you agree."),
        ({"addendum_acknowledged": None}, "read the online addendum"),
        ({"version": "not a number"}, "This page is out of date."),
    ],
)
def test_signing_with_bad_input_explains_and_signs_nothing(
    world, newcomer, client_for, overrides, message
):
    client = client_for(newcomer)
    response = client.post(_url("agreement_sign", world), _sign_data(world, **overrides))
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert message in body
    assert not Signature.objects.filter(member=newcomer).exists()


def test_signing_without_consent_marks_the_box_and_links_it_from_the_summary(
    world, newcomer, client_for
):
    response = client_for(newcomer).post(
        _url("agreement_sign", world), _sign_data(world, consent=None)
    )
    body = html.unescape(response.content.decode())
    box = re.search(r'<input[^>]*name="consent"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in box
    box_id = re.search(r'\sid="([^"]+)"', box).group(1)
    described_by = re.search(r'aria-describedby="([^"]+)"', box).group(1).split()
    error = re.search(rf'<div id="{described_by[-1]}"[^>]*>(.*?)</div>', body, re.S).group(1)
    assert "Please tick the box to say you agree." in error
    summary = re.search(r'<div[^>]*role="alert"[^>]*data-error-summary>(.*?)</div>', body, re.S)
    assert re.search(rf'<a href="#{box_id}">[^<]*Please tick the box to say you agree.', summary[1])


def test_without_a_full_name_any_typed_name_signs(world, client_for):
    user = UserFactory(full_name="")
    MembershipFactory(group=world.group, user=user)
    client_for(user).post(_url("agreement_sign", world), _sign_data(world, typed_name="Sam"))
    assert Signature.objects.get(member=user).typed_name == "Sam"


@pytest.mark.parametrize("role", ["outsider", "pending", "other_member", "organizer", "staff"])
def test_non_member_posting_to_the_signing_url_gets_404(world, client_for, role):
    client = client_for(world.users[role])
    response = client.post(_url("agreement_sign", world), _sign_data(world, typed_name="X"))
    assert response.status_code == 404
    assert not Signature.objects.filter(member=world.users[role]).exists()


def test_member_sees_and_prints_what_they_signed(world, client_for):
    member = world.users["member"]
    client = client_for(member)
    page = client.get(_url("agreement_sign", world)).content.decode()
    assert "You have signed this version" in page
    assert "What you have signed" in page
    printed = client.get(_url("agreement_signed", world, 1)).content.decode()
    assert member.full_name in printed
    assert world.agreement.content_hash in printed
    assert "Print or save as PDF" in printed
    assert "What is shared here stays here." in printed


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
