"""Attendance: facilitators mark it, members never see others', members' own records."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Attendance
from sessions.services import attendance as services
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _past_meeting(world, days_ago=7, **fields):
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return MeetingFactory(
        group=world.group,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        topic=fields.pop("topic", "Sleep and shift work"),
        **fields,
    )


def test_attendance_page_marks_present_absent_excused(world, client_for):
    meeting = _past_meeting(world)
    client = client_for(world.users["facilitator"])
    url = reverse("meetings:attendance", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Member" in page and "On Break" in page
    member, on_break = world.users["member"], world.users["on_break"]
    response = client.post(
        url, {f"mark_{member.pk}": "present", f"mark_{on_break.pk}": "excused"}, follow=True
    )
    assert "Attendance saved (2 changed)" in response.content.decode()
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "status"))
    assert marks == {member.pk: "present", on_break.pk: "excused"}
    client.post(url, {f"mark_{member.pk}": "absent", f"mark_{on_break.pk}": "excused"})
    assert Attendance.objects.get(meeting=meeting, user=member).status == "absent"


def test_attendance_page_hidden_from_members(world, client_for):
    meeting = _past_meeting(world)
    services.attendance_mark(
        meeting=meeting, member=world.users["member"], status="present", by=None
    )
    client = client_for(world.users["member"])
    assert client.get(reverse("meetings:attendance", args=[meeting.pk])).status_code == 404
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Present" not in page


def test_attendance_mark_refuses_future_present_but_allows_excused(world):
    from peersupport.errors import DomainError

    meeting = MeetingFactory(group=world.group)
    with pytest.raises(DomainError, match="once the meeting has started"):
        services.attendance_mark(
            meeting=meeting, member=world.users["member"], status="present", by=None
        )
    mark = services.attendance_mark(
        meeting=meeting, member=world.users["member"], status="excused", by=None
    )
    assert mark.status == "excused"


def test_attendance_mark_refuses_cancelled_meeting_and_outsiders(world):
    from peersupport.errors import DomainError

    meeting = _past_meeting(world, status="cancelled")
    with pytest.raises(DomainError, match="cancelled"):
        services.attendance_mark(
            meeting=meeting, member=world.users["member"], status="present", by=None
        )
    meeting = _past_meeting(world)
    with pytest.raises(DomainError, match="Only members"):
        services.attendance_mark(
            meeting=meeting, member=world.users["outsider"], status="present", by=None
        )


def _attend(world, meetings):
    for meeting in meetings:
        services.attendance_mark(
            meeting=meeting, member=world.users["member"], status="present", by=None
        )


def test_statement_lists_attended_meetings_without_group_by_default(world, client_for, client):
    attended = [_past_meeting(world, days_ago=d) for d in (20, 10)]
    _attend(world, attended)
    skipped = _past_meeting(world, days_ago=5)
    services.attendance_mark(
        meeting=skipped, member=world.users["member"], status="absent", by=None
    )
    member_client = client_for(world.users["member"])
    today = timezone.localdate()
    response = member_client.post(
        reverse("meetings:statement_create"),
        {
            "organisation": world.organisation.pk,
            "start": (today - datetime.timedelta(days=30)).isoformat(),
            "end": today.isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Your attendance record is ready" in page
    assert "Harbour Test Network" in page
    assert "180 minutes in all" in page
    assert "Harbour Circle" not in page.split("<main", 1)[-1].split("</main>")[0]
    assert "Sleep and shift work" not in page
    verify_url = response.redirect_chain[-1][0]
    # Anyone holding the link sees the same facts, and nothing else about the person.
    client.logout()
    public = client.get(verify_url).content.decode()
    assert "Verified" in public and "180 minutes in all" in public
    assert world.users["member"].email not in public


def test_statement_includes_group_when_member_chooses(world, client_for):
    _attend(world, [_past_meeting(world, days_ago=3)])
    today = timezone.localdate()
    response = client_for(world.users["member"]).post(
        reverse("meetings:statement_create"),
        {
            "organisation": world.organisation.pk,
            "start": (today - datetime.timedelta(days=30)).isoformat(),
            "end": today.isoformat(),
            "include_group": "on",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Harbour Circle" in page and "Sleep and shift work" in page


def test_statement_forged_link_says_it_cannot_be_verified(world, client):
    response = client.get(reverse("meetings:statement", args=["1:forged-signature"]))
    assert response.status_code == 404
    assert "could not be verified" in response.content.decode()


def test_statement_period_backwards_is_a_form_error(world, client_for):
    _attend(world, [_past_meeting(world, days_ago=3)])
    today = timezone.localdate()
    response = client_for(world.users["member"]).post(
        reverse("meetings:statement_create"),
        {
            "organisation": world.organisation.pk,
            "start": today.isoformat(),
            "end": (today - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "on or after its start" in response.content.decode()


def test_attendance_sheet_shows_rsvps_and_queries_stay_constant(world, client_for):
    from sessions.services import rsvp as rsvp_services
    from tests.factories import MembershipFactory, UserFactory, sign_agreement
    from tests.support import assert_constant_queries

    meeting = MeetingFactory(group=world.group, format="in_person", capacity=30)
    rsvp_services.rsvp_set(meeting=meeting, member=world.users["member"], status="going")
    client = client_for(world.users["facilitator"])
    url = reverse("meetings:attendance", args=[meeting.pk])
    assert "Member (said going)" in client.get(url).content.decode()

    def grow():
        for _ in range(6):
            user = UserFactory()
            MembershipFactory(group=world.group, user=user)
            sign_agreement(user, world.agreement)
            rsvp_services.rsvp_set(meeting=meeting, member=user, status="going")

    assert_constant_queries(lambda: client.get(url), grow, limit=30)


def _issue(world, user=None):
    today = timezone.localdate()
    return services.attendance_statement_issue(
        user=user or world.users["member"],
        organisation=world.organisation,
        start=today - datetime.timedelta(days=30),
        end=today,
    )


def test_statement_links_cannot_be_guessed_from_another(world, client):
    """Two statements issued one after the other share nothing an attacker can count on."""
    first, second = _issue(world), _issue(world, world.users["on_break"])
    from django.core import signing

    a, b = services.attendance_statement_token(first), services.attendance_statement_token(second)
    assert len(a) >= 32 and a[:8] != b[:8]
    # Nothing in the link carries the row's id (it is random, not a signature of the id).
    for token in (a, b):
        with pytest.raises(signing.BadSignature):
            signing.loads(token, salt="meetings.attendance-statement")
    # The old form of the link (the sequential id, signed) opens nothing.
    forged = signing.dumps(second.pk, salt="meetings.attendance-statement")
    assert client.get(reverse("meetings:statement", args=[forged])).status_code == 404


def test_statement_owner_withdraws_it_and_the_link_stops_verifying(world, client_for, client):
    statement = _issue(world)
    url = reverse("meetings:statement", args=[statement.public_id])
    assert client.get(url).status_code == 200
    owner = client_for(world.users["member"])
    listing = owner.get(reverse("meetings:statement_create")).content.decode()
    assert url in listing
    response = owner.post(reverse("meetings:statement_revoke", args=[statement.public_id]))
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 404
    assert "could not be verified" in page.content.decode()
    assert url not in owner.get(reverse("meetings:statement_create")).content.decode()


def test_statement_cannot_be_withdrawn_by_anyone_else(world, client_for, client):
    statement = _issue(world)
    other = client_for(world.users["facilitator"])
    response = other.post(reverse("meetings:statement_revoke", args=[statement.public_id]))
    assert response.status_code == 404
    assert client.get(reverse("meetings:statement", args=[statement.public_id])).status_code == 200


def test_statement_expires(world, client):
    statement = _issue(world)
    url = reverse("meetings:statement", args=[statement.public_id])
    assert "This link verifies until" in client.get(url).content.decode()
    statement.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    statement.save(update_fields=["expires_at"])
    assert client.get(url).status_code == 404


def test_attendance_is_refused_half_an_hour_before_the_start(world, client_for):
    from peersupport.errors import DomainError

    meeting = MeetingFactory(
        group=world.group, starts_at=timezone.now() + datetime.timedelta(minutes=30)
    )
    with pytest.raises(DomainError, match="once the meeting has started"):
        services.attendance_mark(
            meeting=meeting, member=world.users["member"], status="present", by=None
        )
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_statement_never_counts_a_meeting_that_has_not_happened(world, client_for):
    attended = _past_meeting(world, days_ago=3)
    _attend(world, [attended])
    # A mark on a meeting later today (as the old hour-early rule allowed) is not counted.
    later = MeetingFactory(
        group=world.group, starts_at=timezone.now() + datetime.timedelta(minutes=40)
    )
    Attendance.objects.create(meeting=later, user=world.users["member"], status="present")
    today = timezone.localdate()
    response = client_for(world.users["member"]).post(
        reverse("meetings:statement_create"),
        {
            "organisation": world.organisation.pk,
            "start": (today - datetime.timedelta(days=30)).isoformat(),
            "end": today.isoformat(),
        },
        follow=True,
    )
    assert "90 minutes in all" in response.content.decode()
