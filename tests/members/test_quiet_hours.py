"""Quiet hours: no email is sent inside a member's quiet hours (in their own zone); it is
held, not dropped, and sent exactly once when they end. Safeguarding emails to people who
help run a group are not held unless they chose so. Notices in the app are never held.

The clock is real: each test sets the member's quiet hours around the present moment in
their zone (inside) or away from it (outside), and "the quiet hours ended" is the member's
hours no longer covering now with the row due, which is what the sweep finds at 07:00.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Delivery, Notice, NotificationPreference
from members.notifications import deliveries_requeue_stale, delivery_send, notify, quiet_until
from tests.factories import MembershipFactory, UserFactory, publish_agreement

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ZONE = "Asia/Tokyo"  # far from the server's UTC: the member's own clock is what counts


# --- The arithmetic -------------------------------------------------------------------------
def _at(zone: str, *parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        # 22:00 until 07:00 in London, winter (UTC+0).
        ((2026, 12, 7, 23, 30), (2026, 12, 8, 7, 0)),
        ((2026, 12, 8, 6, 59), (2026, 12, 8, 7, 0)),
        ((2026, 12, 7, 22, 0), (2026, 12, 8, 7, 0)),
        ((2026, 12, 8, 7, 0), None),  # the end is not inside
        ((2026, 12, 7, 12, 0), None),
        ((2026, 12, 7, 21, 59), None),
    ],
)
def test_overnight_quiet_hours_end_the_next_morning(local, expected):
    now = _at("Europe/London", *local)
    got = quiet_until(start=datetime.time(22), end=datetime.time(7), zone="Europe/London", now=now)
    assert got == (_at("Europe/London", *expected) if expected else None)


def test_quiet_hours_within_a_day_and_in_another_zone():
    start, end = datetime.time(13), datetime.time(15)
    # 04:30 UTC is 13:30 in Tokyo: inside, until 15:00 Tokyo (06:00 UTC).
    now = datetime.datetime(2026, 12, 7, 4, 30, tzinfo=UTC)
    assert quiet_until(start=start, end=end, zone="Asia/Tokyo", now=now) == datetime.datetime(
        2026, 12, 7, 6, 0, tzinfo=UTC
    )
    assert quiet_until(start=start, end=end, zone="Europe/London", now=now) is None


def test_quiet_hours_that_end_in_a_skipped_hour_end_just_after_the_gap():
    # New York springs forward at 02:00 on 14 March 2027: 02:30 never happens that night.
    now = _at("America/New_York", 2027, 3, 14, 1, 0)
    got = quiet_until(
        start=datetime.time(22), end=datetime.time(2, 30), zone="America/New_York", now=now
    )
    assert got == datetime.datetime(2027, 3, 14, 7, 30, tzinfo=UTC)  # 03:30 EDT
    assert got > now


# --- Sending --------------------------------------------------------------------------------
def _quiet(user, *, inside: bool, holds_urgent: bool = False) -> datetime.datetime:
    """Set `user`'s quiet hours around now in their zone (or two hours away); returns when
    they end."""
    local = timezone.now().astimezone(ZoneInfo(user.time_zone)).replace(microsecond=0)
    start = local - datetime.timedelta(hours=1) if inside else local + datetime.timedelta(hours=2)
    end = local + datetime.timedelta(hours=1) if inside else local + datetime.timedelta(hours=3)
    NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "quiet_from": start.time(),
            "quiet_until": end.time(),
            "quiet_holds_urgent": holds_urgent,
        },
    )
    return end


def _resign(user, capture):
    version = publish_agreement(MembershipFactory(user=user).group)
    with capture(execute=True):
        notify(kind="agreement_resign", recipient=user, about=version, context={"sign_url": "x"})
    return Delivery.objects.get(recipient=user, kind="agreement_resign")


def test_outside_quiet_hours_the_email_goes_at_once(smtp_sink, django_capture_on_commit_callbacks):
    user = UserFactory(time_zone=ZONE)
    _quiet(user, inside=False)
    row = _resign(user, django_capture_on_commit_callbacks)
    smtp_sink.wait_for(1)
    row.refresh_from_db()
    assert row.status == Delivery.Status.SENT


def test_inside_quiet_hours_the_email_waits_and_is_sent_once_when_they_end(
    smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory(time_zone=ZONE)
    ends = _quiet(user, inside=True)
    row = _resign(user, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("pending", "held for the member's quiet hours")
    assert abs(row.next_attempt_at - ends) < datetime.timedelta(seconds=5)
    assert Notice.objects.filter(recipient=user).count() == 1  # the app is not held
    # A redelivered task and the sweep, still inside: nothing goes out, nothing is lost.
    delivery_send(delivery_id=row.pk)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_requeue_stale(pending_after=datetime.timedelta(0))
    assert smtp_sink.messages == []
    assert Delivery.objects.get(pk=row.pk).status == "pending"

    # Their quiet hours are over and the row is due: the sweep sends it, once.
    _quiet(user, inside=False)
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_requeue_stale(pending_after=datetime.timedelta(0))
        deliveries_requeue_stale(pending_after=datetime.timedelta(0))
    smtp_sink.wait_for(1)
    assert delivery_send(delivery_id=row.pk) == "nothing"
    assert len(smtp_sink.messages) == 1
    assert Delivery.objects.get(pk=row.pk).status == Delivery.Status.SENT


def _concern_to(facilitator, world, capture):
    with capture(execute=True):
        notify(
            kind="concern_reported",
            recipient=facilitator,
            about=world.concern,
            context={"group": world.group, "concern_url": "https://example.test/c"},
        )
    return Delivery.objects.get(recipient=facilitator, kind="concern_reported")


def test_a_safeguarding_email_is_not_held_by_quiet_hours(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    facilitator = world.users["facilitator"]
    facilitator.time_zone = ZONE
    facilitator.save()
    _quiet(facilitator, inside=True)
    row = _concern_to(facilitator, world, django_capture_on_commit_callbacks)
    smtp_sink.wait_for(1)
    row.refresh_from_db()
    assert row.status == Delivery.Status.SENT


def test_a_safeguarding_email_is_held_when_the_member_chose_so(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    facilitator = world.users["facilitator"]
    _quiet(facilitator, inside=True, holds_urgent=True)
    row = _concern_to(facilitator, world, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == "pending" and smtp_sink.messages == []


# --- The preferences page -------------------------------------------------------------------
def test_quiet_hours_are_set_on_the_preferences_page_and_off_by_default(client_for, member):
    client = client_for(member)
    page = client.get(reverse("members:notifications")).content.decode()
    assert "Quiet hours from" in page
    assert "Hold safeguarding emails" not in page  # a member receives none
    fields = {"digest_frequency": "weekly", "time_zone": "Europe/Paris"}
    client.post(
        reverse("members:notifications"), {**fields, "quiet_from": "22:00", "quiet_until": "07:00"}
    )
    pref = NotificationPreference.objects.get(user=member)
    assert (pref.quiet_from, pref.quiet_until) == (datetime.time(22), datetime.time(7))
    assert not pref.quiet_holds_urgent
    client.post(reverse("members:notifications"), fields)  # both empty: off again
    pref.refresh_from_db()
    assert not pref.has_quiet_hours


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("22:00", "", "Give both times for quiet hours"),
        ("22:00", "22:00", "must start and end at different times"),
        ("25:00", "07:00", "Enter a time such as 22:00."),
        ("<script>", "07:00", "Enter a time such as 22:00."),
    ],
)
def test_bad_quiet_hours_are_explained_and_change_nothing(client_for, member, start, end, message):
    response = client_for(member).post(
        reverse("members:notifications"),
        {
            "digest_frequency": "weekly",
            "time_zone": "Europe/Paris",
            "quiet_from": start,
            "quiet_until": end,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_a_facilitator_may_choose_to_hold_safeguarding_emails_too(client_for, facilitator):
    client = client_for(facilitator)
    assert (
        "Hold safeguarding emails" in client.get(reverse("members:notifications")).content.decode()
    )
    client.post(
        reverse("members:notifications"),
        {
            "digest_frequency": "weekly",
            "time_zone": "Europe/Paris",
            "quiet_from": "23:00",
            "quiet_until": "06:30",
            "quiet_holds_urgent": "on",
        },
    )
    assert NotificationPreference.objects.get(user=facilitator).quiet_holds_urgent
