"""Joining a group: open, approval with intake questions, invitation links, and every edge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Invitation, Membership, MembershipEvent
from groups.services.membership import membership_request
from peersupport.errors import DomainError
from tests.factories import MembershipFactory, PeerGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def _join_url(group) -> str:
    return reverse("groups:join", args=[group.slug])


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def approval_group(world):
    group = world.group
    group.intake_questions = "What brings you here?\nHow did you hear about us?"
    group.save()
    return group


def test_join_open_group_makes_an_active_member_at_once(world, client_for):
    group = PeerGroupFactory(join_policy="open", organisation=world.organisation)
    client = client_for(world.users["outsider"])

    response = client.post(_join_url(group), follow=True)

    assert "Welcome to the group!" in _text(response)
    assert group.place in _text(response)  # now inside: the member area shows the place
    membership = Membership.objects.get(group=group, user=world.users["outsider"])
    assert membership.status == "active" and membership.joined_at is not None
    assert membership.events.get().to_status == "active"


def test_join_page_says_peer_support_is_not_professional_care(world, client_for):
    response = client_for(world.users["outsider"]).get(_join_url(world.group))
    assert "not a substitute for professional care" in _text(response)
    assert reverse("crisis") in _text(response)


def test_join_approval_group_asks_intake_questions_and_queues_the_request(
    approval_group, world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.users["outsider"])
    page = _text(client.get(_join_url(approval_group)))
    assert "What brings you here?" in page and "How did you hear about us?" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _join_url(approval_group),
            {"answer_0": "Work has been hard.", "answer_1": "A friend"},
            follow=True,
        )

    assert "Your request was sent" in _text(response)
    membership = Membership.objects.get(group=approval_group, user=world.users["outsider"])
    assert membership.status == "pending"
    assert membership.intake_answers[0] == {
        "question": "What brings you here?",
        "answer": "Work has been hard.",
    }
    [email] = mailoutbox
    assert email.to == [world.users["facilitator"].email]
    assert email.subject == "A new request to join your group"
    assert approval_group.name not in email.subject
    assert reverse("groups:requests", args=[approval_group.slug]) in email.body


def test_join_missing_answer_shows_error_and_keeps_what_was_typed(
    approval_group, world, client_for
):
    response = client_for(world.users["outsider"]).post(
        _join_url(approval_group), {"answer_0": "Something I wrote", "answer_1": ""}
    )
    assert response.status_code == 200
    assert "This field is required" in _text(response)
    assert "Something I wrote" in _text(response)
    assert not Membership.objects.filter(user=world.users["outsider"]).exists()


def test_join_overlong_answer_is_refused_without_losing_the_text(approval_group, world, client_for):
    long = "x" * 2001
    response = client_for(world.users["outsider"]).post(
        _join_url(approval_group), {"answer_0": long, "answer_1": "ok"}
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in _text(response)
    assert long in _text(response)
    assert not Membership.objects.filter(user=world.users["outsider"]).exists()


def test_join_twice_creates_one_request_and_explains(world, client_for):
    client = client_for(world.users["outsider"])
    data = {}
    client.post(_join_url(world.group), data)
    response = client.post(_join_url(world.group), data)

    assert "already with the facilitators" in _text(response)
    assert Membership.objects.filter(group=world.group, user=world.users["outsider"]).count() == 1
    assert MembershipEvent.objects.filter(membership__user=world.users["outsider"]).count() == 1


def test_join_page_for_a_member_points_to_the_member_area(world, client_for):
    response = client_for(world.users["member"]).get(_join_url(world.group))
    assert "You are already a member of this group." in _text(response)
    assert reverse("groups:inside", args=[world.group.slug]) in _text(response)


@pytest.mark.parametrize(
    ("status", "message"),
    [("paused", "taking a pause"), ("archived", "has closed")],
)
def test_join_paused_or_archived_group_is_refused(world, client_for, status, message):
    world.group.status = status
    world.group.save()
    client = client_for(world.users["outsider"])
    assert message in _text(client.get(_join_url(world.group)))
    response = client.post(_join_url(world.group), {})
    assert message in _text(response)
    assert not Membership.objects.filter(user=world.users["outsider"]).exists()


def test_join_full_group_is_refused(world, client_for):
    # member and on_break count; the facilitator does not take a member's place.
    world.group.max_members = 2
    world.group.save()
    response = client_for(world.users["outsider"]).post(_join_url(world.group), {})
    assert "This group is full" in _text(response)
    assert not Membership.objects.filter(user=world.users["outsider"]).exists()


def test_join_invitation_only_group_without_a_link_explains_how(world, client_for):
    world.group.join_policy = "invitation"
    world.group.save()
    client = client_for(world.users["outsider"])
    page = _text(client.get(_join_url(world.group)))
    assert "by invitation only" in page
    assert "Send my request" not in page and "Join the group" not in page
    client.post(_join_url(world.group), {})
    assert not Membership.objects.filter(user=world.users["outsider"]).exists()


def test_join_private_group_is_hidden_from_outsiders(world, client_for):
    world.group.visibility = "private"
    world.group.save()
    response = client_for(world.users["outsider"]).get(_join_url(world.group))
    assert response.status_code == 404
    response = client_for(world.users["outsider"]).post(_join_url(world.group), {})
    assert response.status_code == 404


def test_join_unlisted_group_works_with_its_link(world, client_for):
    world.group.visibility = "unlisted"
    world.group.save()
    response = client_for(world.users["outsider"]).get(_join_url(world.group))
    assert response.status_code == 200
    assert "Send my request" in _text(response)


def test_join_unknown_slug_is_404(world, client_for):
    response = client_for(world.users["outsider"]).get("/groups/no-such-group-guess/join/")
    assert response.status_code == 404


def test_join_removed_member_is_asked_to_contact_the_facilitators(world, client_for):
    MembershipFactory(group=world.group, user=world.users["outsider"], status="removed")
    client = client_for(world.users["outsider"])
    assert "Please contact the facilitators" in _text(client.get(_join_url(world.group)))
    response = client.post(_join_url(world.group), {})
    assert "Please contact the facilitators" in _text(response)
    assert Membership.objects.get(user=world.users["outsider"]).status == "removed"


def test_join_after_leaving_asks_again(world, client_for):
    MembershipFactory(group=world.group, user=world.users["outsider"], status="left")
    client_for(world.users["outsider"]).post(_join_url(world.group), {})
    membership = Membership.objects.get(user=world.users["outsider"])
    assert membership.status == "pending"
    assert membership.events.get().from_status == "left"


def test_join_anonymous_is_sent_to_sign_in_and_back(world, client):
    response = client.get(_join_url(world.group))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_intake_answers_with_html_are_shown_escaped_to_facilitators(
    approval_group, world, client_for
):
    client_for(world.users["outsider"]).post(
        _join_url(approval_group), {"answer_0": "<script>alert(1)</script>", "answer_1": "<b>x</b>"}
    )
    page = _text(
        client_for(world.users["facilitator"]).get(
            reverse("groups:requests", args=[approval_group.slug])
        )
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_membership_request_service_refuses_a_duplicate(world):
    user = world.users["outsider"]
    membership_request(group=world.group, user=user)
    with pytest.raises(DomainError, match="already with the facilitators"):
        membership_request(group=world.group, user=user)


# --- invitations ----------------------------------------------------------------------
def _invitation(group, **fields) -> Invitation:
    fields.setdefault("expires_at", timezone.now() + timedelta(days=7))
    return Invitation.objects.create(group=group, **fields)


def _invite_url(invitation) -> str:
    return reverse("groups:invitation", args=[invitation.token])


def test_facilitator_creates_an_invitation_link_and_sees_it(world, client_for):
    client = client_for(world.users["facilitator"])
    url = reverse("groups:invitations", args=[world.group.slug])
    response = client.post(url, {"single_use": "1", "days": "3", "note": "for Sam"}, follow=True)
    assert "Invitation link created" in _text(response)
    invitation = Invitation.objects.get(group=world.group)
    assert invitation.single_use and invitation.note == "for Sam"
    assert _invite_url(invitation) in _text(response)


def test_invitation_form_refuses_bad_input_with_a_message(world, client_for):
    client = client_for(world.users["facilitator"])
    url = reverse("groups:invitations", args=[world.group.slug])
    response = client.post(url, {"single_use": "1", "days": "500", "note": "n" * 200})
    assert response.status_code == 200
    assert "less than or equal to 90" in _text(response)
    assert not Invitation.objects.exists()


def test_invitation_single_use_admits_one_person_then_explains(world, client_for):
    world.group.join_policy = "invitation"
    world.group.visibility = "private"
    world.group.save()
    invitation = _invitation(world.group)
    first = client_for(world.users["outsider"])
    assert world.group.name in _text(first.get(_invite_url(invitation)))
    response = first.post(_invite_url(invitation), follow=True)
    assert "Welcome to the group!" in _text(response)
    assert Membership.objects.get(user=world.users["outsider"]).status == "active"

    second = client_for(world.users["other_member"])
    response = second.get(_invite_url(invitation))
    assert response.status_code == 200
    assert "expired or was already used" in _text(response)
    second.post(_invite_url(invitation))
    assert not Membership.objects.filter(group=world.group, user=world.users["other_member"])


def test_invitation_multi_use_admits_several(world, client_for):
    invitation = _invitation(world.group, single_use=False)
    for role in ("outsider", "other_member"):
        client_for(world.users[role]).post(_invite_url(invitation))
    invitation.refresh_from_db()
    assert invitation.uses == 2
    assert Membership.objects.filter(group=world.group, status="active").count() == 4


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_invitation_expired_or_revoked_gives_a_clear_message(world, client_for, state):
    if state == "expired":
        invitation = _invitation(world.group, expires_at=timezone.now() - timedelta(minutes=1))
    else:
        invitation = _invitation(world.group, revoked_at=timezone.now())
    client = client_for(world.users["outsider"])
    assert "expired or was already used" in _text(client.get(_invite_url(invitation)))
    client.post(_invite_url(invitation))
    assert not Membership.objects.filter(user=world.users["outsider"]).exists()


def test_invitation_unknown_token_says_the_link_does_not_work(world, client_for):
    response = client_for(world.users["outsider"]).get("/join/not-a-real-token/")
    assert response.status_code == 200
    assert "expired or was already used" in _text(response)


def test_invitation_anonymous_is_offered_sign_in_and_sign_up_that_come_back(world, client):
    invitation = _invitation(world.group)
    page = _text(client.get(_invite_url(invitation)))
    assert f"{reverse('account_signup')}?next=" in page
    assert f"{reverse('account_login')}?next=" in page
    response = client.post(_invite_url(invitation))
    assert response["Location"].startswith(reverse("account_login"))
    assert invitation.group.memberships.count() == 4


def test_invitation_revoked_by_facilitator_stops_working(world, client_for):
    invitation = _invitation(world.group)
    url = reverse("groups:invitation_revoke", args=[world.group.slug, invitation.pk])
    response = client_for(world.users["facilitator"]).post(url, follow=True)
    assert "no longer works" in _text(response)
    invitation.refresh_from_db()
    assert not invitation.is_usable


def test_invitation_for_a_removed_member_does_not_readmit_them(world, client_for):
    MembershipFactory(group=world.group, user=world.users["outsider"], status="removed")
    invitation = _invitation(world.group)
    client = client_for(world.users["outsider"])
    assert "Please contact the facilitators" in _text(client.get(_invite_url(invitation)))
    client.post(_invite_url(invitation))
    assert Membership.objects.get(user=world.users["outsider"]).status == "removed"
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_new_user_with_invitation_joins_after_signing_in(world, client):
    user = UserFactory()
    invitation = _invitation(world.group)
    client.force_login(user)
    client.post(_invite_url(invitation))
    assert Membership.objects.get(user=user).status == "active"


def test_double_submit_at_the_same_moment_creates_one_request(transactional_db):
    """Two requests race (a double click); the group row lock lets exactly one through."""
    import threading

    from django.db import connection

    group = PeerGroupFactory(join_policy="approval")
    user = UserFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def ask():
        try:
            barrier.wait()
            membership_request(group=group, user=user)
            outcomes.append("created")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert any("already with the facilitators" in outcome for outcome in outcomes)
    assert outcomes.count("created") == 1
    assert Membership.objects.filter(group=group, user=user).count() == 1
    assert MembershipEvent.objects.filter(membership__group=group).count() == 1


def test_invitation_tokens_never_reach_the_logs(world, client_for, caplog):
    import logging

    caplog.set_level(logging.INFO)
    used = _invitation(world.group)
    expired = _invitation(world.group, expires_at=timezone.now() - timedelta(days=1))
    client = client_for(world.users["outsider"])
    client.get(_invite_url(expired))
    client.post(_invite_url(expired))
    client.get("/join/guessed-token-123/")
    client.post("/join/guessed-token-123/")
    client.post(_invite_url(used))
    client.get(_invite_url(used))
    for token in (used.token, expired.token, "guessed-token-123"):
        assert token not in caplog.text


def test_invitation_admits_someone_whose_request_is_waiting(world, client_for):
    invitation = _invitation(world.group)
    client_for(world.users["pending"]).post(_invite_url(invitation))
    membership = Membership.objects.get(group=world.group, user=world.users["pending"])
    assert membership.status == "active"
    assert membership.events.last().from_status == "pending"


@pytest.mark.parametrize(
    "limit, extra",
    [
        (3, "on_break"),  # members on a break keep their place: the group is full
        (3, "facilitator"),  # a co-facilitator takes no member's place: still room
    ],
)
def test_join_landing_page_offers_join_exactly_when_the_join_succeeds(
    world, client_for, limit, extra
):
    group = world.group
    group.join_policy = "open"
    group.max_members = limit
    group.save()
    if extra == "on_break":
        MembershipFactory(group=group, status="on_break")
    else:
        MembershipFactory(group=group, role="facilitator")
    client = client_for(world.users["outsider"])

    offered = "Join this group" in _text(client.get(group.get_absolute_url()))
    client.post(_join_url(group), {})
    joined = Membership.objects.filter(group=group, user=world.users["outsider"]).exists()

    assert offered == joined
    assert joined == (extra == "facilitator")
