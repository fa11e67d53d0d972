"""Agreements: templates, versions, signing, the place-and-link gate, re-sign requests."""

from __future__ import annotations

import hashlib
import html
import re

import pytest
from django.db import transaction
from django.urls import reverse

from groups.models import (
    AgreementTemplate,
    AgreementVersion,
    Signature,
)
from groups.services.agreements import (
    agreement_draft_update,
    agreement_publish,
)
from peersupport.errors import DomainError
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
)
from tests.groups.agreements_support import (
    _page,
    _publish_v2,
    _race,
    _sign_data,
    _url,
)


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
