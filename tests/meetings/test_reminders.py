"""Reminders before meetings, check-in invitations after them, the facilitator digest (issue 8)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Delivery, NotificationPreference, ReminderRun
from members.notifications import deliveries_requeue_stale
from sessions.reminders import (
    checkin_invitations_due,
    reminder_setting_save,
    reminders_send_due,
)
from tests.factories import MeetingFactory, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.mail import body_text

pytestmark = pytest.mark.django_db


def _rsvp(meeting, user, status: str = "going"):
    from sessions.models import Rsvp

    extra = {"waitlisted_at": timezone.now()} if status == "waitlisted" else {}
    return Rsvp.objects.create(meeting=meeting, user=user, status=status, **extra)


def _meeting_in(hours: float, **kwargs):
    starts = (timezone.now() + datetime.timedelta(hours=hours)).replace(microsecond=0)
    return MeetingFactory(
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=90), **kwargs
    )


@pytest.fixture
def circle():
    """A group meeting in 23 hours: the 1-day reminder is due, the 2-hour one is not."""
    group = PeerGroupFactory(name="Harbour Anxiety Circle", topics=["anxiety"])
    meeting = _meeting_in(23, group=group, topic="Sleep and worry")
    people = {}
    for name, status, rsvp in [
        ("going", "active", "going"),
        ("also_going", "active", "going"),
        ("not_going", "active", "not_going"),
        ("waiting", "active", "waitlisted"),
        ("on_break", "on_break", "going"),
        ("left", "left", "going"),
    ]:
        user = UserFactory(display_name=name.title())
        MembershipFactory(group=group, user=user, status=status)
        _rsvp(meeting, user, rsvp)
        people[name] = user
    return meeting, people


def _run_beat(capture):
    with capture(execute=True):
        return reminders_send_due()


def test_reminder_goes_only_to_active_members_who_are_going(
    circle, smtp_sink, django_capture_on_commit_callbacks
):
    meeting, people = circle
    assert _run_beat(django_capture_on_commit_callbacks) == 2
    smtp_sink.wait_for(2)
    assert {str(m["To"]) for m in smtp_sink.messages} == {
        people["going"].email,
        people["also_going"].email,
    }
    message = smtp_sink.to(people["going"].email)[0]
    assert str(message["Subject"]).startswith("Reminder: your meeting on ")
    assert "Harbour Anxiety Circle" not in str(message["Subject"])
    text = body_text(message)
    assert "Harbour Anxiety Circle meets on" in text and "Europe/London" in text
    # The first reminder asks "still coming?" with the one-click link that frees the seat.
    assert "Still coming?" in text and "/meetings/rsvp/" in text
    assert ReminderRun.objects.filter(meeting=meeting, offset=1440).exists()


def test_beat_firing_twice_sends_nothing_twice(
    circle, smtp_sink, django_capture_on_commit_callbacks
):
    _run_beat(django_capture_on_commit_callbacks)
    assert _run_beat(django_capture_on_commit_callbacks) == 0
    smtp_sink.wait_for(2)
    assert deliveries_requeue_stale(pending_after=datetime.timedelta(0)) == 0
    assert len(smtp_sink.messages) == 2


def test_every_reminder_has_the_free_my_seat_link(
    circle, smtp_sink, django_capture_on_commit_callbacks
):
    meeting, _people = circle
    _run_beat(django_capture_on_commit_callbacks)
    smtp_sink.wait_for(2)
    smtp_sink.clear()
    meeting.__class__.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + datetime.timedelta(minutes=100),
        ends_at=timezone.now() + datetime.timedelta(minutes=190),
    )
    assert _run_beat(django_capture_on_commit_callbacks) == 2
    for message in smtp_sink.wait_for(2):
        text = body_text(message)
        assert "free my seat" in text.lower() and "/meetings/rsvp/" in text


def test_meeting_booked_less_than_a_day_ahead_reminds_with_the_free_seat_link(
    smtp_sink, django_capture_on_commit_callbacks
):
    meeting = _meeting_in(1.5, topic="Short notice")
    user = UserFactory()
    MembershipFactory(group=meeting.group, user=user)
    _rsvp(meeting, user)
    assert _run_beat(django_capture_on_commit_callbacks) == 1
    [message] = smtp_sink.wait_for(1)
    text = body_text(message)
    assert "free my seat" in text.lower() and "/meetings/rsvp/" in text


def test_member_who_opted_out_gets_no_reminder(
    circle, smtp_sink, django_capture_on_commit_callbacks
):
    _meeting, people = circle
    NotificationPreference.objects.create(user=people["going"], muted_kinds=["session_reminder"])
    _run_beat(django_capture_on_commit_callbacks)
    smtp_sink.wait_for(1)
    assert smtp_sink.to(people["going"].email) == []


def test_member_offsets_replace_the_groups(circle, smtp_sink, django_capture_on_commit_callbacks):
    _meeting, people = circle
    NotificationPreference.objects.create(user=people["going"], reminder_offsets=[120])
    _run_beat(django_capture_on_commit_callbacks)
    smtp_sink.wait_for(1)
    assert smtp_sink.to(people["going"].email) == []


def test_group_offsets_are_used(smtp_sink, django_capture_on_commit_callbacks):
    early, usual = _meeting_in(40), _meeting_in(40)
    reminder_setting_save(group=early.group, offsets=[2880, 120, 99])
    for meeting in (early, usual):
        user = UserFactory()
        MembershipFactory(group=meeting.group, user=user)
        _rsvp(meeting, user)
    # Two days ahead for `early`; the default (a day) has not come yet for `usual`.
    assert _run_beat(django_capture_on_commit_callbacks) == 1
    assert smtp_sink.wait_for(1)[0]["To"] == early.rsvps.get().user.email


def test_late_scan_sends_only_the_latest_reminder(smtp_sink, django_capture_on_commit_callbacks):
    """Beat was down: the 1-day and 2-hour times have both passed; one reminder goes out."""
    meeting = _meeting_in(1.5)
    user = UserFactory()
    MembershipFactory(group=meeting.group, user=user)
    _rsvp(meeting, user)
    assert _run_beat(django_capture_on_commit_callbacks) == 1
    smtp_sink.wait_for(1)
    assert Delivery.objects.get(recipient=user).key.startswith("120:")


def test_meeting_cancelled_after_reminders_were_queued_sends_none(circle, smtp_sink):
    meeting, _people = circle
    reminders_send_due()  # rows written, delivery not yet run (not committed)
    meeting.__class__.objects.filter(pk=meeting.pk).update(status="cancelled")
    deliveries_requeue_stale(pending_after=datetime.timedelta(0))
    from members.notifications import delivery_send

    for row in Delivery.objects.filter(kind="session_reminder"):
        delivery_send(delivery_id=row.pk)
    assert smtp_sink.messages == []
    assert set(Delivery.objects.values_list("status", "last_error")) == {
        ("skipped", "meeting is cancelled")
    }


def test_meeting_moved_after_reminders_were_queued_sends_no_stale_time(circle, smtp_sink):
    from members.notifications import delivery_send

    meeting, _people = circle
    reminders_send_due()
    later = meeting.starts_at + datetime.timedelta(days=1)
    meeting.__class__.objects.filter(pk=meeting.pk).update(
        starts_at=later, ends_at=later + datetime.timedelta(minutes=90)
    )
    for row in Delivery.objects.filter(kind="session_reminder"):
        delivery_send(delivery_id=row.pk)
    assert smtp_sink.messages == []
    assert Delivery.objects.filter(last_error__contains="moved").count() == 2


def test_meeting_moved_later_is_reminded_again_at_its_new_time(
    circle, smtp_sink, django_capture_on_commit_callbacks
):
    meeting, _people = circle
    _run_beat(django_capture_on_commit_callbacks)
    smtp_sink.wait_for(2)
    later = meeting.starts_at + datetime.timedelta(minutes=30)
    meeting.__class__.objects.filter(pk=meeting.pk).update(
        starts_at=later, ends_at=later + datetime.timedelta(minutes=90)
    )
    assert _run_beat(django_capture_on_commit_callbacks) == 2
    smtp_sink.wait_for(4)


def test_member_who_left_between_queue_and_send_is_skipped(circle, smtp_sink):
    from groups.models import Membership
    from members.notifications import delivery_send

    _meeting, people = circle
    reminders_send_due()
    Membership.objects.filter(user=people["going"]).update(status="left")
    for row in Delivery.objects.filter(kind="session_reminder"):
        delivery_send(delivery_id=row.pk)
    assert [str(m["To"]) for m in smtp_sink.wait_for(1)] == [people["also_going"].email]


def test_discreet_reminder_says_only_the_weekday(
    circle, smtp_sink, django_capture_on_commit_callbacks
):
    meeting, people = circle
    quiet = people["going"]
    quiet.discreet_mode = True
    quiet.save()
    _run_beat(django_capture_on_commit_callbacks)
    smtp_sink.wait_for(2)
    [message] = smtp_sink.to(quiet.email)
    local = timezone.localtime(meeting.starts_at, timezone=datetime.UTC).astimezone(
        __import__("zoneinfo").ZoneInfo(quiet.time_zone)
    )
    assert str(message["Subject"]) == f"Reminder: your {local:%A} meeting"
    html = message.get_body(("html",)).get_content()
    for text in (body_text(message), html):
        assert "Harbour" not in text and "Sleep and worry" not in text
        assert "anxiety" not in text.lower()


# --- Check-in survey invitations ------------------------------------------------------------
def test_checkin_survey_goes_to_those_marked_present_once(
    smtp_sink, django_capture_on_commit_callbacks
):
    from sessions.models import Attendance

    meeting = _meeting_in(-3)
    present, absent = UserFactory(), UserFactory()
    Attendance.objects.create(meeting=meeting, user=present, status="present")
    Attendance.objects.create(meeting=meeting, user=absent, status="absent")
    with django_capture_on_commit_callbacks(execute=True):
        assert checkin_invitations_due() == 1
        assert checkin_invitations_due() == 0
    [message] = smtp_sink.wait_for(1)
    assert str(message["To"]) == present.email
    assert str(message["Subject"]) == "How was your meeting? Two minutes, anonymous"
    assert f"/meetings/{meeting.pk}/checkin/" in body_text(message)


# --- Facilitator digest ----------------------------------------------------------------------
def test_weekly_digest_lists_meetings_rsvps_roles_and_requests(
    smtp_sink, django_capture_on_commit_callbacks
):
    from sessions.digest import digests_send

    facilitator = UserFactory()
    group = PeerGroupFactory(name="Quay Circle")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    MembershipFactory(group=group, status="pending", joined_at=None)
    meeting = _meeting_in(50, group=group)
    for _ in range(3):
        _rsvp(meeting, UserFactory())
    idle = UserFactory()  # facilitates a group with no news: no digest
    MembershipFactory(group=PeerGroupFactory(), user=idle, role="facilitator")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency="weekly") == 1
        assert digests_send(frequency="weekly") == 1  # same week: the ledger keeps it single
        assert digests_send(frequency="daily") == 0  # nobody chose daily
    [message] = smtp_sink.wait_for(1)
    assert str(message["Subject"]) == "Your weekly facilitator digest"
    text = body_text(message)
    assert "Quay Circle" in text and "3 going" in text
    assert "roles to fill: timekeeper, note_taker, checkin_lead" in text
    assert "1 join request is waiting for you" in text
    assert "asked for more support" not in text


def test_digest_counts_open_support_requests_without_saying_who(
    smtp_sink, django_capture_on_commit_callbacks
):
    from groups.models import SupportRequest
    from sessions.digest import digests_send

    facilitator, asker = UserFactory(), UserFactory(display_name="Quietperson")
    group = PeerGroupFactory()
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    MembershipFactory(group=group, user=asker)
    SupportRequest.objects.create(group=group, member=asker, message="Rough week")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(frequency="weekly") == 1
    text = body_text(smtp_sink.wait_for(1)[0])
    assert "1 member asked for more support and is waiting to hear from you" in text
    assert "Quietperson" not in text and "Rough week" not in text


# --- a group's reminder times, set by its facilitators ----------------------------------
def test_facilitator_sets_the_groups_reminder_times(client_for, facilitator, world):
    from members.models import ReminderSetting

    client = client_for(facilitator)
    prefs = client.get(reverse("members:notifications")).content.decode()
    assert "Reminder times for Harbour Circle" in prefs
    url = reverse("meetings:group_reminders", args=[world.group.slug])
    page = client.get(url).content.decode()
    assert "Meeting reminders: Harbour Circle" in page
    response = client.post(url, {"offsets": ["2880", "60"]}, follow=True)
    assert "Reminder times saved." in response.content.decode()
    assert ReminderSetting.objects.get(group=world.group).offsets == [2880, 60]


def test_the_reminder_times_old_address_from_earlier_emails_still_leads_there(
    client_for, facilitator, world
):
    old = f"/me/notifications/group/{world.group.slug}/reminders/"
    response = client_for(facilitator).get(old, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "meetings:group_reminders", args=[world.group.slug]
    )
    assert "Meeting reminders: Harbour Circle" in response.content.decode()


def test_member_cannot_set_the_groups_reminder_times(client_for, member, world):
    url = reverse("meetings:group_reminders", args=[world.group.slug])
    assert client_for(member).post(url, {"offsets": ["60"]}).status_code == 404
