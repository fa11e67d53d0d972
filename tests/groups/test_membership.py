"""The facilitator queue, member list, contact details, removal; breaks, leaving, My groups."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import ContactAccessLog, Membership, MembershipEvent
from groups.services.membership import membership_email_send
from tests.factories import MembershipFactory
from tests.support import assert_constant_queries

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _m(world, role) -> Membership:
    return Membership.objects.get(group=world.group, user=world.users[role])


def _decide(client, world, decision: str, message: str, **extra):
    pending = _m(world, "pending")
    prefix = f"r{pending.pk}-{decision}"
    url = reverse("groups:decide", args=[world.group.slug, pending.pk])
    data = {f"{prefix}-decision": decision, f"{prefix}-message": message}
    return client.post(url, data, **extra)


# --- the request queue ----------------------------------------------------------------
def test_requests_queue_lists_pending_requests_with_kind_prefilled_messages(world, client_for):
    pending = _m(world, "pending")
    pending.intake_answers = [{"question": "What brings you?", "answer": "Night shifts"}]
    pending.save()
    page = _text(
        client_for(world.users["facilitator"]).get(
            reverse("groups:requests", args=[world.group.slug])
        )
    )
    assert "Pending" in page  # the display name
    assert "What brings you?" in page and "Night shifts" in page
    assert "Welcome to the group!" in page  # prefilled approval text
    assert "This says nothing about you" in page  # prefilled decline text


def test_requests_queue_empty_state(world, client_for):
    _m(world, "pending").delete()
    page = _text(
        client_for(world.users["facilitator"]).get(
            reverse("groups:requests", args=[world.group.slug])
        )
    )
    assert "No requests are waiting" in page


def test_approve_request_activates_member_records_history_and_emails_them(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.users["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(
            client, world, "approve", "So glad you're here, see you Thursday.", follow=True
        )

    assert "Request from Pending approved" in _text(response)
    membership = _m(world, "pending")
    assert membership.status == "active" and membership.joined_at is not None
    event = membership.events.last()
    assert (event.from_status, event.to_status) == ("pending", "active")
    assert event.actor == world.users["facilitator"]
    assert event.message == "So glad you're here, see you Thursday."
    [email] = mailoutbox
    assert email.to == [world.users["pending"].email]
    assert email.subject == "About your request to join a group"
    assert "So glad you're here, see you Thursday." in email.body
    assert "approved" in email.body


def test_decline_request_marks_declined_and_sends_the_kind_message(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.users["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, world, "decline", "Another group may suit you better.")
    assert _m(world, "pending").status == "declined"
    [email] = mailoutbox
    assert email.subject == "About your request to join a group"
    assert world.group.name not in email.subject
    assert "Another group may suit you better." in email.body


def test_decide_twice_says_already_handled(world, client_for):
    client = client_for(world.users["facilitator"])
    _decide(client, world, "approve", "Welcome")
    response = _decide(client, world, "decline", "No", follow=True)
    assert "already handled" in _text(response)
    assert _m(world, "pending").status == "active"


def test_decide_overlong_message_is_refused_and_kept(world, client_for):
    long = "y" * 2001
    response = _decide(client_for(world.users["facilitator"]), world, "approve", long)
    assert response.status_code == 400
    assert "at most 2000 characters" in _text(response)
    assert long in _text(response)
    assert _m(world, "pending").status == "pending"


def test_decide_on_a_membership_of_another_group_is_404(world, client_for):
    other = Membership.objects.get(group=world.other_group)
    url = reverse("groups:decide", args=[world.group.slug, other.pk])
    response = client_for(world.users["facilitator"]).post(url, {})
    assert response.status_code == 404


def test_approve_when_group_is_full_explains(world, client_for):
    world.group.max_members = 2
    world.group.save()
    response = _decide(client_for(world.users["facilitator"]), world, "approve", "Hi", follow=True)
    assert "The group is full" in _text(response)
    assert _m(world, "pending").status == "pending"


def test_membership_email_is_sent_once_even_when_the_task_runs_twice(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    membership = _m(world, "pending")
    event = MembershipEvent.objects.create(
        membership=membership, from_status="pending", to_status="active", message="Hi"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert membership_email_send(event_id=event.pk, kind="join_approved") is True
        assert membership_email_send(event_id=event.pk, kind="join_approved") is False
    assert len(mailoutbox) == 1


def test_requests_queue_query_count_is_constant(world, client_for):
    client = client_for(world.users["facilitator"])
    url = reverse("groups:requests", args=[world.group.slug])

    def grow():
        for _ in range(5):
            MembershipFactory(group=world.group, status="pending", joined_at=None)

    assert_constant_queries(lambda: client.get(url), grow, limit=15)


# --- member list, history, contact details --------------------------------------------
def test_member_list_shows_display_names_roles_statuses_and_history(world, client_for):
    page = _text(
        client_for(world.users["organizer"]).get(reverse("groups:members", args=[world.group.slug]))
    )
    for name in ("Member", "Facilitator", "On Break"):
        assert name in page
    assert "On a break" in page
    assert world.users["member"].email not in page
    assert world.users["member"].full_name not in page
    assert "Contact details" not in page  # organizers are not the group's facilitators


def test_member_list_query_count_is_constant(world, client_for):
    client = client_for(world.users["facilitator"])
    url = reverse("groups:members", args=[world.group.slug])

    def grow():
        for _ in range(5):
            m = MembershipFactory(group=world.group)
            MembershipEvent.objects.create(membership=m, from_status="pending", to_status="active")

    assert_constant_queries(lambda: client.get(url), grow, limit=15)


def test_contact_details_are_shown_to_facilitators_and_every_view_is_logged(world, client_for):
    member = _m(world, "member")
    url = reverse("groups:member_contact", args=[world.group.slug, member.pk])
    client = client_for(world.users["facilitator"])
    page = _text(client.get(url))
    client.get(url)
    assert world.users["member"].email in page
    assert world.users["member"].full_name in page
    assert "Every view of this page is logged" in page
    logs = ContactAccessLog.objects.filter(group=world.group)
    assert logs.count() == 2
    assert {(log.viewer, log.member) for log in logs} == {
        (world.users["facilitator"], world.users["member"])
    }


def test_contact_details_for_organizers_are_hidden_and_not_logged(world, client_for):
    member = _m(world, "member")
    url = reverse("groups:member_contact", args=[world.group.slug, member.pk])
    assert client_for(world.users["organizer"]).get(url).status_code == 404
    assert not ContactAccessLog.objects.exists()


# --- removal --------------------------------------------------------------------------
def test_facilitator_removes_a_member_with_a_message(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    member = _m(world, "member")
    url = reverse("groups:member_remove", args=[world.group.slug, member.pk])
    client = client_for(world.users["facilitator"])
    assert "Remove Member from the group?" in _text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "We talked about this."}, follow=True)
    assert "Member was removed from the group." in _text(response)
    member.refresh_from_db()
    assert member.status == "removed"
    [email] = mailoutbox
    assert email.subject == "About your group membership"
    assert "We talked about this." in email.body
    # The removed member no longer gets in, and cannot rejoin.
    removed = client_for(world.users["member"])
    inside = reverse("groups:inside", args=[world.group.slug])
    assert removed.get(inside).status_code == 404
    join = reverse("groups:join", args=[world.group.slug])
    assert "Please contact the facilitators" in _text(removed.get(join))


def test_facilitators_cannot_be_removed_as_members(world, client_for):
    target = _m(world, "facilitator")
    url = reverse("groups:member_remove", args=[world.group.slug, target.pk])
    response = client_for(world.users["organizer"]).post(url, {"message": "x"})
    assert "organisation&#x27;s organizers" in _text(response)
    target.refresh_from_db()
    assert target.status == "active"


def test_remove_message_with_html_is_escaped_in_the_history(world, client_for):
    member = _m(world, "member")
    url = reverse("groups:member_remove", args=[world.group.slug, member.pk])
    client = client_for(world.users["facilitator"])
    client.post(url, {"message": "<script>alert('x')</script>"})
    page = _text(client.get(reverse("groups:members", args=[world.group.slug])))
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


# --- the member's own membership ------------------------------------------------------
def test_member_area_shows_place_link_and_member_names(world, client_for):
    page = _text(
        client_for(world.users["member"]).get(reverse("groups:inside", args=[world.group.slug]))
    )
    assert world.group.place in page and world.group.online_link in page
    assert "On Break" in page and "Facilitator" in page
    assert "Pending" not in page  # a pending request is not a member yet


def test_take_a_break_until_a_date_and_come_back(world, client_for):
    client = client_for(world.users["member"])
    inside = reverse("groups:inside", args=[world.group.slug])
    back_on = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("groups:take_break", args=[world.group.slug]),
        {"until": back_on.isoformat()},
        follow=True,
    )
    page = _text(response)
    assert "You are on a break" in page
    assert world.group.place not in page  # on a break: no place or link
    membership = _m(world, "member")
    assert membership.status == "on_break" and membership.break_until == back_on

    response = client.post(reverse("groups:come_back", args=[world.group.slug]), follow=True)
    assert "Welcome back!" in _text(response)
    assert world.group.place in _text(client.get(inside))
    assert [e.to_status for e in _m(world, "member").events.all()] == ["on_break", "active"]


def test_take_a_break_with_a_past_date_explains(world, client_for):
    response = client_for(world.users["member"]).post(
        reverse("groups:take_break", args=[world.group.slug]),
        {"until": "2001-01-01"},
        follow=True,
    )
    assert "choose a date in the future" in _text(response)
    assert _m(world, "member").status == "active"


def test_take_a_break_with_a_garbled_date_explains(world, client_for):
    response = client_for(world.users["member"]).post(
        reverse("groups:take_break", args=[world.group.slug]),
        {"until": "next tuesday<script>"},
        follow=True,
    )
    assert "year-month-day" in _text(response)
    assert _m(world, "member").status == "active"


def test_leave_the_group_after_confirming(world, client_for):
    client = client_for(world.users["member"])
    url = reverse("groups:leave", args=[world.group.slug])
    assert "Yes, leave the group" in _text(client.get(url))
    response = client.post(url, follow=True)
    assert "You have left the group" in _text(response)
    assert "Left" in _text(response)  # My groups shows the status
    assert _m(world, "member").status == "left"


def test_my_groups_lists_every_membership_with_its_status(world, client_for):
    MembershipFactory(group=world.other_group, user=world.users["on_break"], status="pending")
    page = _text(client_for(world.users["on_break"]).get(reverse("groups:mine")))
    assert "Harbour Circle" in page and "On a break" in page
    assert "Other Circle" in page and "Waiting for approval" in page


def test_my_groups_empty_state(world, client_for):
    page = _text(client_for(world.users["outsider"]).get(reverse("groups:mine")))
    assert "You are not in any group yet." in page


@pytest.mark.worker
def test_approval_email_goes_out_once_through_the_worker(celery_worker, smtp_sink):
    from groups.services.membership import membership_decide
    from groups.tasks import send_membership_email
    from tests.factories import UserFactory
    from tests.fixtures.mail import body_text

    group = MembershipFactory(status="pending", joined_at=None).group
    pending = group.memberships.get()
    facilitator = UserFactory()
    membership_decide(membership=pending, actor=facilitator, approve=True, message="Welcome, Jo")

    [message] = smtp_sink.wait_for(1)
    assert message["To"] == pending.user.email
    assert message["Subject"] == "About your request to join a group"
    assert "Welcome, Jo" in body_text(message)

    event = pending.events.last()
    again = send_membership_email.apply_async(args=[event.pk, "join_approved"], ignore_result=False)
    assert again.get(timeout=30) is False
    assert len(smtp_sink.messages) == 1


def test_emails_in_discreet_mode_never_name_the_group(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    pending = world.users["pending"]
    pending.discreet_mode = True
    pending.save()
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client_for(world.users["facilitator"]), world, "approve", "Hello")
    [email] = mailoutbox
    assert world.group.name not in email.subject
    assert world.group.name not in email.body
    assert world.group.name not in email.alternatives[0][0]
    assert "Hello" in email.body


def test_member_area_query_count_is_constant(world, client_for):
    client = client_for(world.users["member"])
    url = reverse("groups:inside", args=[world.group.slug])

    def grow():
        for _ in range(5):
            MembershipFactory(group=world.group)

    assert_constant_queries(lambda: client.get(url), grow, limit=15)


def test_my_groups_query_count_is_constant(world, client_for):
    user = world.users["outsider"]
    client = client_for(user)
    MembershipFactory(user=user)

    def grow():
        for _ in range(4):
            MembershipFactory(user=user)

    assert_constant_queries(lambda: client.get(reverse("groups:mine")), grow, limit=12)


def test_old_contact_access_logs_are_purged_and_a_rerun_does_nothing(world):
    from groups.tasks import purge_contact_access_logs

    member = world.users["member"]
    old = ContactAccessLog.objects.create(
        group=world.group, viewer=world.users["facilitator"], member=member
    )
    ContactAccessLog.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    recent = ContactAccessLog.objects.create(
        group=world.group, viewer=world.users["facilitator"], member=member
    )
    assert purge_contact_access_logs.delay().get() == 1
    assert list(ContactAccessLog.objects.all()) == [recent]
    assert purge_contact_access_logs.delay().get() == 0


def test_pending_person_withdraws_their_request(world, client_for):
    client = client_for(world.users["pending"])
    assert "Withdraw request" in _text(client.get(reverse("groups:mine")))
    url = reverse("groups:withdraw_request", args=[world.group.slug])
    response = client.post(url, follow=True)
    assert "Your request is withdrawn." in _text(response)
    assert _m(world, "pending").status == "left"
    assert "Left" in _text(response)
    # They may ask again later.
    client.post(reverse("groups:join", args=[world.group.slug]), {})
    assert _m(world, "pending").status == "pending"
