"""Members offer to mentor; facilitators pair a newcomer with a mentor; both see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from groups.models import Membership, Mentorship
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def newcomer(world):
    user = UserFactory(display_name="Newbie")
    return MembershipFactory(group=world.group, user=user)


def _offer(client, world, willing: bool):
    data = {"willing": "on"} if willing else {}
    return client.post(reverse("groups:mentor_willing", args=[world.group.slug]), data, follow=True)


def _pair(client, world, mentee: Membership, mentor: Membership):
    return client.post(
        reverse("groups:mentors", args=[world.group.slug]),
        {"mentee": mentee.pk, "mentor": mentor.pk},
        follow=True,
    )


def test_member_offers_to_mentor_and_can_withdraw(world, client_for):
    client = client_for(world.users["member"])
    assert "Thank you for offering to mentor" in _text(_offer(client, world, True))
    assert Membership.objects.get(user=world.users["member"], group=world.group).willing_to_mentor
    assert "no longer listed as a mentor" in _text(_offer(client, world, False))
    assert not Membership.objects.get(
        user=world.users["member"], group=world.group
    ).willing_to_mentor


def test_facilitator_pairs_a_newcomer_and_both_see_it(world, client_for, newcomer):
    _offer(client_for(world.users["member"]), world, True)
    mentor = Membership.objects.get(user=world.users["member"], group=world.group)
    facilitator = client_for(world.users["facilitator"])
    page = _text(facilitator.get(reverse("groups:mentors", args=[world.group.slug])))
    assert "Newbie" in page and "Member" in page

    response = _pair(facilitator, world, newcomer, mentor)
    assert "They are paired" in _text(response)
    assert "Member mentors Newbie" in _text(response)

    inside = reverse("groups:inside", args=[world.group.slug])
    assert "Your mentor is Member" in _text(client_for(newcomer.user).get(inside))
    assert "You are mentoring Newbie" in _text(client_for(world.users["member"]).get(inside))


def test_pairing_with_someone_who_did_not_offer_is_refused(world, client_for, newcomer):
    mentor = Membership.objects.get(user=world.users["member"], group=world.group)
    response = _pair(client_for(world.users["facilitator"]), world, newcomer, mentor)
    assert "Select a valid choice" in _text(response)
    assert not Mentorship.objects.exists()


def test_newcomer_with_a_mentor_is_not_offered_again(world, client_for, newcomer):
    _offer(client_for(world.users["member"]), world, True)
    mentor = Membership.objects.get(user=world.users["member"], group=world.group)
    client = client_for(world.users["facilitator"])
    _pair(client, world, newcomer, mentor)
    response = _pair(client, world, newcomer, mentor)
    assert "Select a valid choice" in _text(response)
    assert Mentorship.objects.filter(ended_at__isnull=True).count() == 1


def test_ending_a_pairing_removes_it_from_both_pages(world, client_for, newcomer):
    _offer(client_for(world.users["member"]), world, True)
    mentor = Membership.objects.get(user=world.users["member"], group=world.group)
    client = client_for(world.users["facilitator"])
    _pair(client, world, newcomer, mentor)
    pairing = Mentorship.objects.get()
    response = client.post(
        reverse("groups:mentorship_end", args=[world.group.slug, pairing.pk]), follow=True
    )
    assert "The pairing has ended." in _text(response)
    inside = reverse("groups:inside", args=[world.group.slug])
    assert "You have no mentor pairing" in _text(client_for(newcomer.user).get(inside))


def test_leaving_the_group_ends_the_pairing(world, client_for, newcomer):
    _offer(client_for(world.users["member"]), world, True)
    mentor = Membership.objects.get(user=world.users["member"], group=world.group)
    _pair(client_for(world.users["facilitator"]), world, newcomer, mentor)
    client_for(world.users["member"]).post(reverse("groups:leave", args=[world.group.slug]))
    assert Mentorship.objects.get().ended_at is not None


def test_mentors_page_empty_state(world, client_for):
    page = _text(
        client_for(world.users["organizer"]).get(reverse("groups:mentors", args=[world.group.slug]))
    )
    assert "No pairings yet." in page


def test_pairing_emails_both_and_they_write_to_each_other_without_addresses(
    world, client_for, newcomer, smtp_sink, django_capture_on_commit_callbacks
):
    from tests.fixtures.mail import body_text
    from tests.support import form_as_rendered

    mentor = Membership.objects.get(user=world.users["member"], group=world.group)
    mentor.willing_to_mentor = True
    mentor.save()
    with django_capture_on_commit_callbacks(execute=True):
        _pair(client_for(world.users["facilitator"]), world, newcomer, mentor)
    smtp_sink.wait_for(2)
    [to_mentee] = smtp_sink.to(newcomer.user.email)
    [to_mentor] = smtp_sink.to(world.users["member"].email)
    assert str(to_mentee["Subject"]) == "You have a mentor"
    assert "Member will be your mentor" in body_text(to_mentee)
    assert "You are now mentoring Newbie" in body_text(to_mentor)
    assert world.users["member"].email not in body_text(to_mentee)
    assert "Crisis resources" in body_text(to_mentee)
    smtp_sink.clear()
    # The newcomer finds the way to write from the group's page and writes.
    pairing = Mentorship.objects.get(mentee=newcomer.user)
    url = reverse("groups:mentorship_message", args=[world.group.slug, pairing.pk])
    client = client_for(newcomer.user)
    inside = _text(client.get(reverse("groups:inside", args=[world.group.slug])))
    assert url in inside and "Write to Member" in inside
    page = _text(client.get(url))
    assert world.users["member"].email not in page
    fields = form_as_rendered(page, containing="message")
    fields["message"] = "Hi, is it fine to come late on Thursday?"
    with django_capture_on_commit_callbacks(execute=True):
        done = _text(client.post(url, fields, follow=True))
    assert "Your message is on its way." in done
    [mail] = smtp_sink.wait_for(1)
    assert str(mail["To"]).endswith(world.users["member"].email + ">") or (
        world.users["member"].email in str(mail["To"])
    )
    text = body_text(mail)
    assert "Newbie wrote to you" in text and "come late on Thursday" in text
    assert newcomer.user.email not in mail.as_string()
    assert str(mail["Subject"]) == "A message from the person you mentor"


def test_only_the_two_people_of_a_pairing_can_write(world, client_for, newcomer):
    from groups.services.mentorship import mentorship_pair

    mentor = Membership.objects.get(user=world.users["member"], group=world.group)
    mentor.willing_to_mentor = True
    mentor.save()
    pairing = mentorship_pair(
        group=world.group, mentor=mentor.user, mentee=newcomer.user, actor=None
    )
    url = reverse("groups:mentorship_message", args=[world.group.slug, pairing.pk])
    assert client_for(world.users["facilitator"]).get(url).status_code == 404
    assert client_for(world.users["outsider"]).post(url, {"message": "x"}).status_code == 404


def test_a_mentor_who_joined_minutes_ago_is_not_described_as_long_in_the_group(
    world, client_for, newcomer
):
    recent = MembershipFactory(group=world.group, user=UserFactory(display_name="Fresh"))
    Membership.objects.filter(pk=recent.pk).update(willing_to_mentor=True)
    _pair(client_for(world.users["facilitator"]), world, newcomer, recent)
    inside = reverse("groups:inside", args=[world.group.slug])
    page = _text(client_for(newcomer.user).get(inside))
    assert "Your mentor is Fresh" in page
    assert "in the group a while" not in page
