"""Roles: members opt in, a fair rotation is suggested, the facilitator confirms, email."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Delivery
from members.notifications import delivery_send
from sessions.models import MeetingRole, RoleWillingness
from sessions.selectors.roles import role_candidates, role_rows
from sessions.services.roles import role_assign
from tests.factories import MeetingFactory, MembershipFactory, UserFactory
from tests.fixtures.mail import body_text

TIMEKEEPER = MeetingRole.Role.TIMEKEEPER


def willing(group, *users, role=TIMEKEEPER):
    for user in users:
        RoleWillingness.objects.create(group=group, user=user, role=role)


def served(group, user, *, days_ago: int, role=TIMEKEEPER, status="scheduled"):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    past = MeetingFactory(
        group=group,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
        status=status,
    )
    return MeetingRole.objects.create(meeting=past, role=role, user=user)


def member_of(group, name: str, **membership):
    user = UserFactory(display_name=name)
    MembershipFactory(group=group, user=user, **membership)
    return user


def names(candidates) -> list[str]:
    return [c.user.display_name for c in candidates]


# --- Rotation (unit) ----------------------------------------------------------------------
def test_rotation_never_served_first_then_least_recently_served(world):
    group, meeting = world.group, world.meeting
    ann, bob, cat = (member_of(group, n) for n in ("Ann", "Bob", "Cat"))
    willing(group, ann, bob, cat)
    served(group, ann, days_ago=7)
    served(group, bob, days_ago=21)
    assert names(role_candidates(meeting=meeting, role=TIMEKEEPER)) == ["Cat", "Bob", "Ann"]


def test_rotation_ties_are_broken_by_name(world):
    group, meeting = world.group, world.meeting
    zed, amy, max_ = (member_of(group, n) for n in ("zed", "Amy", "Max"))
    willing(group, zed, amy, max_)
    same_time = served(group, zed, days_ago=14).meeting.starts_at
    served(group, max_, days_ago=14).meeting.__class__.objects.filter(roles__user=max_).update(
        starts_at=same_time, ends_at=same_time + datetime.timedelta(minutes=90)
    )
    assert names(role_candidates(meeting=meeting, role=TIMEKEEPER)) == ["Amy", "Max", "zed"]


def test_rotation_skips_members_on_a_break_and_not_active(world):
    group, meeting = world.group, world.meeting
    active = member_of(group, "Active")
    resting = member_of(group, "Resting", status="on_break")
    waiting = member_of(group, "Waiting", status="pending", joined_at=None)
    gone = member_of(group, "Gone", status="left")
    willing(group, active, resting, waiting, gone)
    assert names(role_candidates(meeting=meeting, role=TIMEKEEPER)) == ["Active"]


def test_rotation_only_counts_the_same_role_and_not_cancelled_meetings(world):
    group, meeting = world.group, world.meeting
    ann, bob = member_of(group, "Ann"), member_of(group, "Bob")
    willing(group, ann, bob)
    served(group, ann, days_ago=3, role=MeetingRole.Role.NOTE_TAKER)
    served(group, ann, days_ago=2, status="cancelled")
    served(group, bob, days_ago=30)
    assert names(role_candidates(meeting=meeting, role=TIMEKEEPER)) == ["Ann", "Bob"]


def test_rotation_leaves_out_members_who_did_not_opt_in(world):
    group, meeting = world.group, world.meeting
    member_of(group, "Quiet")
    keen = member_of(group, "Keen")
    willing(group, keen)
    assert names(role_candidates(meeting=meeting, role=TIMEKEEPER)) == ["Keen"]


def test_suggestions_spread_roles_over_different_people(world):
    group, meeting = world.group, world.meeting
    ann, bob = member_of(group, "Ann"), member_of(group, "Bob")
    for role in (TIMEKEEPER, MeetingRole.Role.NOTE_TAKER):
        willing(group, ann, bob, role=role)
    rows = {row.role: row for row in role_rows(meeting=meeting)}
    assert rows[TIMEKEEPER].suggestion.user == ann
    assert rows[MeetingRole.Role.NOTE_TAKER].suggestion.user == bob


# --- Pages ------------------------------------------------------------------------------
def test_member_opts_in_to_roles_on_the_group_page(client_for, world):
    member = world.users["member"]
    client = client_for(member)
    url = reverse("meetings:role_willingness", args=[world.group.slug])
    assert "Roles I can take" in client.get(url).content.decode()
    response = client.post(url, {"roles": ["timekeeper", "note_taker"]}, follow=True)
    assert "Thank you, your choices are saved." in response.content.decode()
    assert set(RoleWillingness.objects.filter(user=member).values_list("role", flat=True)) == {
        "timekeeper",
        "note_taker",
    }
    client.post(url, {"roles": ["note_taker"]})
    assert list(RoleWillingness.objects.filter(user=member).values_list("role", flat=True)) == [
        "note_taker"
    ]


def test_member_on_a_break_is_told_they_will_not_be_asked(client_for, world):
    client = client_for(world.users["on_break"])
    body = client.get(reverse("meetings:role_willingness", args=[world.group.slug])).content
    assert "nobody will ask you to take a role until you are back" in body.decode()


def test_roles_page_suggests_and_facilitator_confirms_assignee_is_emailed(
    client_for, world, smtp_sink, django_capture_on_commit_callbacks
):
    member, meeting = world.users["member"], world.meeting
    willing(world.group, member)
    client = client_for(world.users["facilitator"])
    url = reverse("meetings:roles", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Suggested: <strong>Member</strong>." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"role": "timekeeper", "user": member.pk}, follow=True)
    assert "Member is the timekeeper. We&#x27;ll let them know by email." in (
        response.content.decode()
    )
    assert "Taken by <strong>Member</strong>." in response.content.decode()
    (message,) = smtp_sink.wait_for(1)
    assert message["Subject"] == "You have a role in an upcoming meeting"
    assert member.email in message["To"]
    text = body_text(message)
    assert "You are the timekeeper for the meeting on" in text
    assert "Group: Harbour Circle" in text


def test_role_email_in_discreet_mode_never_names_the_group(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    member = world.users["member"]
    member.discreet_mode = True
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        role_assign(
            meeting=world.meeting, role="note_taker", user=member, by=world.users["facilitator"]
        )
    (message,) = smtp_sink.wait_for(1)
    assert "Harbour" not in message.as_string()


def test_role_email_is_sent_once_even_if_delivery_runs_again(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = role_assign(
            meeting=world.meeting,
            role="timekeeper",
            user=world.users["member"],
            by=world.users["facilitator"],
        )
    smtp_sink.wait_for(1)
    (delivery,) = Delivery.objects.filter(kind="role_assigned")
    delivery_send(delivery_id=delivery.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        confirmed_again = role_assign(
            meeting=world.meeting,
            role="timekeeper",
            user=world.users["member"],
            by=world.users["facilitator"],
        )
    assert confirmed_again.pk == row.pk
    assert callbacks == [], "confirming the same person sends nothing"
    assert len(smtp_sink.messages) == 1


def test_role_handed_to_someone_else_before_delivery_is_not_sent_to_the_first(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    facilitator, member = world.users["facilitator"], world.users["member"]
    with django_capture_on_commit_callbacks(execute=False) as first:
        role_assign(meeting=world.meeting, role="timekeeper", user=facilitator, by=facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        role_assign(meeting=world.meeting, role="timekeeper", user=member, by=facilitator)
    for callback in first:  # the first person's delivery runs late
        callback()
    (message,) = smtp_sink.wait_for(1)
    assert member.email in message["To"]
    assert "Stop this kind of email:" in body_text(message)


def test_giving_a_role_to_a_member_on_a_break_is_refused_kindly(client_for, world, smtp_sink):
    client = client_for(world.users["facilitator"])
    url = reverse("meetings:roles", args=[world.meeting.pk])
    on_break = world.users["on_break"]
    response = client.post(url, {"role": "timekeeper", "user": on_break.pk}, follow=True)
    assert "Please choose one of the group&#x27;s active members." in response.content.decode()
    with pytest.raises(Exception, match="taking a break"):
        role_assign(meeting=world.meeting, role="timekeeper", user=on_break, by=None)
    assert not MeetingRole.objects.exists()
    assert smtp_sink.messages == []


def test_facilitator_removes_a_role(client_for, world):
    meeting = world.meeting
    MeetingRole.objects.create(meeting=meeting, role="timekeeper", user=world.users["member"])
    client = client_for(world.users["facilitator"])
    response = client.post(
        reverse("meetings:role_remove", args=[meeting.pk]), {"role": "timekeeper"}, follow=True
    )
    assert "Nobody is the timekeeper now." in response.content.decode()
    assert not MeetingRole.objects.filter(meeting=meeting).exists()


def test_seed_demo_gives_upcoming_meetings_roles_and_is_idempotent(db):
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    count = MeetingRole.objects.count()
    upcoming = MeetingRole.objects.filter(meeting__starts_at__gte=timezone.now())
    assert upcoming.exists()
    assert RoleWillingness.objects.filter(user__email="member@example.org").exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert MeetingRole.objects.count() == count


def test_roles_page_preselects_nobody_when_nobody_offered(client_for, world):
    client = client_for(world.users["facilitator"])
    page = client.get(reverse("meetings:roles", args=[world.meeting.pk])).content.decode()
    assert "Nobody has offered to take this role" in page
    assert '<option value="" selected>Choose a person</option>' in page


def test_roles_page_query_count_does_not_grow_with_members(client_for, world):
    from tests.support import assert_constant_queries

    client = client_for(world.users["facilitator"])
    url = reverse("meetings:roles", args=[world.meeting.pk])
    willing(world.group, member_of(world.group, "First"))

    def fetch():
        assert client.get(url).status_code == 200

    def grow():
        for n in range(20):
            person = member_of(world.group, f"Person {n}")
            willing(world.group, person)
            served(world.group, person, days_ago=n + 1)

    assert_constant_queries(fetch, grow, limit=20)


def test_roles_page_says_last_only_for_meetings_that_happened(client_for, world):
    group, meeting = world.group, world.meeting
    ann = member_of(group, "Ann")
    willing(group, ann)
    served(group, ann, days_ago=14)
    later = served(group, ann, days_ago=-30).meeting
    page = client_for(world.users["facilitator"]).get(reverse("meetings:roles", args=[meeting.pk]))
    text = page.content.decode()
    from django.utils.formats import date_format

    def shown(moment):
        return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")

    assert f"last on {shown(timezone.now() - datetime.timedelta(days=14))}" in text
    assert f"last on {shown(later.starts_at)}" not in text
    assert f"already down for {shown(later.starts_at)}" in text


def test_the_rotating_role_is_the_meeting_host_not_facilitator(client_for, world):
    page = client_for(world.users["facilitator"]).get(
        reverse("meetings:roles", args=[world.meeting.pk])
    )
    text = page.content.decode()
    assert 'id="role-host">Meeting host</h2>' in text
    assert ">Facilitator</h2>" not in text
    assert "host" in MeetingRole.Role.values and "facilitator" not in MeetingRole.Role.values
