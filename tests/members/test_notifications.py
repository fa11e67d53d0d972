"""The notification layer: ledger, exactly once, preferences, unsubscribe, failures (issue 8).

Tasks run in-process (eager) here, but mail goes over real SMTP to the aiosmtpd sink.
"""

from __future__ import annotations

import datetime
import threading
import time
from unittest import mock
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from members.models import Delivery, EmailBounce, NotificationPreference
from members.notifications import (
    SENDING_LEASE,
    deliveries_requeue_stale,
    delivery_send,
    notify,
    unsubscribe_token,
)
from tests.factories import MembershipFactory, UserFactory
from tests.fixtures.mail import body_text, free_port

pytestmark = pytest.mark.django_db

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def _checkin(recipient, *, key: str = "", attachments=None, group=None):
    """A gentle check-in: a kind with no meeting attached, handy for testing the layer."""
    membership = MembershipFactory(user=recipient, **({"group": group} if group else {}))
    sender = UserFactory(display_name="Robin")
    notify(
        kind="gentle_checkin",
        recipient=recipient,
        about=membership,
        key=key,
        context={
            "sender": sender,
            "message": "We missed you. No pressure.",
            "group": membership.group,
        },
        attachments=attachments,
    )
    return membership


def _row(user, kind: str = "gentle_checkin") -> Delivery:
    return Delivery.objects.get(recipient=user, kind=kind)


def test_notify_sends_one_email_with_headers_both_parts_and_attachment(
    smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory(display_name="Sam")
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user, attachments=[("meeting.ics", ICS, "text/calendar")])
    [message] = smtp_sink.wait_for(1)
    row = _row(user)
    assert row.status == Delivery.Status.SENT and row.sent_at is not None
    # The facilitator's own words leave the ledger once the email is out.
    assert "We missed you" not in str(row.context)
    assert message["Message-ID"] == row.message_id
    assert message["To"] == user.email
    assert message["Subject"] == "Robin is thinking of you"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/me/notifications/unsubscribe/" in message["List-Unsubscribe"]
    assert "We missed you. No pressure." in body_text(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "We missed you. No pressure." in html and "Crisis resources" in html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "meeting.ics"
    assert attachment.get_content_type() == "text/calendar"


def test_notify_twice_and_task_run_again_send_one_email(
    smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory()
    membership = MembershipFactory(user=user)
    context = {"sender": user, "message": "Hello", "group": membership.group}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            notify(kind="gentle_checkin", recipient=user, about=membership, context=context)
    smtp_sink.wait_for(1)
    row = _row(user)
    # A redelivered or retried task finds the row sent and does nothing.
    assert delivery_send(delivery_id=row.pk) == "nothing"
    assert deliveries_requeue_stale(pending_after=datetime.timedelta(0)) == 0
    assert len(smtp_sink.messages) == 1
    assert Delivery.objects.filter(recipient=user).count() == 1


def test_a_new_key_is_a_new_message(smtp_sink, django_capture_on_commit_callbacks):
    user = UserFactory()
    membership = MembershipFactory(user=user)
    context = {"sender": user, "message": "Hello", "group": membership.group}
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="gentle_checkin", recipient=user, about=membership, key="a", context=context)
        notify(kind="gentle_checkin", recipient=user, about=membership, key="b", context=context)
    messages = smtp_sink.wait_for(2)
    assert messages[0]["Message-ID"] != messages[1]["Message-ID"]


def test_notify_when_kind_turned_off_sends_nothing(smtp_sink, django_capture_on_commit_callbacks):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, muted_kinds=["gentle_checkin"])
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user)
    row = _row(user)
    assert row.status == Delivery.Status.SKIPPED
    assert row.last_error == "turned off by the member"
    assert "We missed you" not in str(row.context)
    assert smtp_sink.messages == []


def test_notify_without_verified_email_is_skipped_with_reason(
    smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user)
    row = _row(user)
    assert (row.status, row.last_error) == (Delivery.Status.SKIPPED, "no verified email address")
    assert smtp_sink.messages == []


def test_notify_is_not_sent_when_the_transaction_rolls_back(
    smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory()
    membership = MembershipFactory(user=user)  # its own on-commit work is not what we count
    sender = UserFactory(display_name="Robin")
    context = {"sender": sender, "message": "We missed you.", "group": membership.group}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(kind="gentle_checkin", recipient=user, about=membership, context=context)
    # Nothing is enqueued before commit: the delivery's task is still waiting (with the
    # renewal of the bell's count, for the notice written with the row).
    assert len(callbacks) == 2
    assert smtp_sink.messages == []


class _Refusing:
    """An SMTP server that refuses one recipient for good (550) and greylists (451) another."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("later"):
            return "451 4.7.1 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        return "250 Message accepted"


@pytest.fixture
def refusing_smtp(settings):
    controller = Controller(_Refusing(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield controller
    controller.stop()


def test_refused_address_is_marked_bounced_and_never_retried(
    refusing_smtp, django_capture_on_commit_callbacks
):
    user = UserFactory(email="gone@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user)
    row = _row(user)
    assert row.status == Delivery.Status.BOUNCED and "550" in row.last_error
    assert row.next_attempt_at is None
    assert EmailBounce.objects.filter(email="gone@example.net").exists()
    # The next message to that address is skipped without talking to the server.
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user, key="again")
    again = Delivery.objects.get(recipient=user, key="again")
    assert (again.status, again.last_error) == ("skipped", "address bounced before")


def test_temporary_refusal_is_retried_later_with_backoff(
    refusing_smtp, django_capture_on_commit_callbacks
):
    user = UserFactory(email="later@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user)
    row = _row(user)
    assert row.status == Delivery.Status.FAILED and "451" in row.last_error
    assert row.attempts == 1
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)
    assert not EmailBounce.objects.exists()


def test_smtp_down_then_back_delivers_once(smtp_sink, settings, django_capture_on_commit_callbacks):
    user = UserFactory()
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user)
    row = _row(user)
    assert row.status == Delivery.Status.FAILED and row.attempts == 1
    # Not due yet: the sweep leaves it alone.
    assert deliveries_requeue_stale() == 0
    settings.EMAIL_PORT = smtp_sink.port
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue_stale() == 1
    smtp_sink.wait_for(1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Delivery.Status.SENT, 2)


def test_giving_up_after_the_last_attempt_leaves_a_failed_row(smtp_sink, settings):
    user = UserFactory()
    _checkin(user)  # not committed in this test: the row waits, nothing enqueued
    row = _row(user)
    Delivery.objects.filter(pk=row.pk).update(attempts=7)
    settings.EMAIL_PORT = free_port()
    delivery_send(delivery_id=row.pk)
    row.refresh_from_db()
    assert row.status == Delivery.Status.FAILED
    assert row.last_error.startswith("gave up") and row.next_attempt_at is None


def test_template_error_fails_the_row_and_it_is_sent_once_fixed(
    smtp_sink, settings, tmp_path, django_capture_on_commit_callbacks
):
    broken = tmp_path / "emails"
    broken.mkdir()
    (broken / "gentle_checkin_body.html").write_text("{% if %}broken{% endif %}")
    original = settings.TEMPLATES
    settings.TEMPLATES = [{**original[0], "DIRS": [tmp_path, *original[0]["DIRS"]]}]
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user)
    row = _row(user)
    assert row.status == Delivery.Status.FAILED
    assert row.last_error.startswith("rendering: TemplateSyntaxError")
    assert smtp_sink.messages == []
    settings.TEMPLATES = original
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_requeue_stale()
    smtp_sink.wait_for(1)


def test_worker_killed_mid_send_leaves_a_row_the_sweep_hands_back(
    smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory()
    _checkin(user)
    row = _row(user)
    # What a SIGKILL after the claim leaves behind: a row `sending`, its worker gone.
    claimed = timezone.now() - datetime.timedelta(minutes=1)
    Delivery.objects.filter(pk=row.pk).update(status="sending", claimed_at=claimed)
    # Within its lease the claim is respected (the worker may still be talking to SMTP).
    assert delivery_send(delivery_id=row.pk) == "nothing"
    assert deliveries_requeue_stale(pending_after=datetime.timedelta(0)) == 0
    Delivery.objects.filter(pk=row.pk).update(claimed_at=claimed - SENDING_LEASE)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue_stale(pending_after=datetime.timedelta(0)) == 1
    [message] = smtp_sink.wait_for(1)
    assert message["Message-ID"] == row.message_id  # a resend keeps its Message-ID
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Delivery.Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_two_claims_at_once_send_one_email(smtp_sink):
    user = UserFactory()
    # Autocommit here: delivered at once; make it wait again. (The welcome keeps its
    # context once sent; a personal check-in would not, so it could not be sent again.)
    notify(kind="welcome", recipient=user, about=user, context={"user": user})
    row = _row(user, kind="welcome")
    Delivery.objects.filter(pk=row.pk).update(status="pending", attempts=0)
    smtp_sink.clear()
    outcomes = []

    def claim():
        outcomes.append(delivery_send(delivery_id=row.pk))
        connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["nothing", "sent"]
    assert len(smtp_sink.wait_for(1)) == 1


# --- Discreet mode ----------------------------------------------------------------------
def test_discreet_mode_keeps_the_group_out_of_the_email(
    smtp_sink, django_capture_on_commit_callbacks
):
    from tests.factories import PeerGroupFactory

    group = PeerGroupFactory(name="Anxiety Circle Leeds")
    loud, quiet = UserFactory(), UserFactory(discreet_mode=True)
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(loud, group=group)
        _checkin(quiet, group=group)
    smtp_sink.wait_for(2)
    [to_loud], [to_quiet] = smtp_sink.to(loud.email), smtp_sink.to(quiet.email)
    assert "Anxiety Circle Leeds" in body_text(to_loud)
    for text in (
        str(to_quiet["Subject"]),
        body_text(to_quiet),
        to_quiet.get_body(("html",)).get_content(),
    ):
        assert "Anxiety Circle Leeds" not in text
        assert "anxiety" not in text.lower()


# --- Unsubscribe and preferences ------------------------------------------------------------
def test_unsubscribe_get_asks_and_post_stops_that_kind(
    client, smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory()
    url = reverse("members:unsubscribe", args=[unsubscribe_token(user=user, kind="gentle_checkin")])
    page = client.get(url)
    assert "Stop getting these emails" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=user).exists()
    # RFC 8058: the mail app posts this body, with no session and no CSRF token.
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert "You won't get these emails any more" in done.content.decode()
    assert NotificationPreference.objects.get(user=user).muted_kinds == ["gentle_checkin"]
    client.post(url)  # twice changes nothing
    assert NotificationPreference.objects.get(user=user).muted_kinds == ["gentle_checkin"]
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user)
    assert smtp_sink.messages == []


def test_unsubscribe_link_in_the_email_works(client, smtp_sink, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _checkin(user)
    [message] = smtp_sink.wait_for(1)
    link = message["List-Unsubscribe"].strip().strip("<>")
    response = client.post(urlsplit(link).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200, (link, response.status_code)
    assert NotificationPreference.objects.get(user=user).muted_kinds == ["gentle_checkin"]


def test_unsubscribe_link_stays_valid_but_only_ever_unsubscribes(client):
    """An old link still works (people unsubscribe from old mail), and is no key to anything
    else: it signs nobody in, shows no name or address, reaches no other page."""
    user = UserFactory(display_name="Quiet Robin", full_name="Robin Quietly")
    three_years_ago = time.time() - 3 * 365 * 86400
    with mock.patch("django.core.signing.time.time", return_value=three_years_ago):
        token = unsubscribe_token(user=user, kind="gentle_checkin")
    url = reverse("members:unsubscribe", args=[token])
    done = client.post(url)
    page = done.content.decode()
    assert "You won't get these emails any more" in page
    assert user.email not in page and "Robin" not in page
    assert done["Cache-Control"] == "private, no-store"
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("members:notifications")).status_code == 302  # to sign in
    # The same value opens no other page that takes a token.
    statement = client.get(reverse("meetings:statement", args=[token]))
    assert statement.status_code == 404


def test_unsubscribe_with_a_tampered_token_explains_and_changes_nothing(client):
    user = UserFactory()
    token = unsubscribe_token(user=user, kind="gentle_checkin")
    url = reverse("members:unsubscribe", args=[token[:-3] + "abc"])
    response = client.post(url)
    assert response.status_code == 400
    assert "This link is not valid any more" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_preferences_page_saves_kinds_offsets_discreet_mode_and_zone(client_for, member):
    client = client_for(member)
    page = client.get(reverse("members:notifications"))
    assert "Reminders before my meetings" in page.content.decode()
    response = client.post(
        reverse("members:notifications"),
        {
            "email_kinds": ["session_reminder", "rsvp_confirmed"],
            "reminder_offsets": ["120"],
            "digest_frequency": "daily",
            "discreet_mode": "on",
            "time_zone": "America/Toronto",
        },
        follow=True,
    )
    assert "Your notification preferences are saved." in response.content.decode()
    pref = NotificationPreference.objects.get(user=member)
    assert "gentle_checkin" in pref.muted_kinds and "session_reminder" not in pref.muted_kinds
    assert pref.reminder_offsets == [120] and pref.digest_frequency == "daily"
    member.refresh_from_db()
    assert member.discreet_mode and member.time_zone == "America/Toronto"


def test_preferences_page_refuses_bad_input_with_a_message(client_for, member):
    response = client_for(member).post(
        reverse("members:notifications"),
        {"reminder_offsets": ["7"], "digest_frequency": "hourly", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=member).exists()


# --- Operations -----------------------------------------------------------------------------
def test_notifications_status_lists_failed_and_pending_rows(smtp_sink, settings, capsys):
    user = UserFactory()
    _checkin(user)
    settings.EMAIL_PORT = free_port()
    delivery_send(delivery_id=_row(user).pk)
    _checkin(UserFactory())  # stays pending (never committed, never enqueued)
    call_command("notifications_status")
    out = capsys.readouterr().out
    assert "Celery queue" in out
    assert "failed 1" in out and "pending 1" in out
    assert "gentle_checkin" in out and "ConnectionRefusedError" in out
    assert user.email not in out


def test_staff_see_failed_deliveries_in_the_admin(client_for, staff, smtp_sink, settings):
    user = UserFactory()
    _checkin(user)
    settings.EMAIL_PORT = free_port()
    delivery_send(delivery_id=_row(user).pk)
    page = client_for(staff).get(reverse("admin:members_delivery_changelist") + "?status=failed")
    assert page.status_code == 200
    assert "gentle_checkin" in page.content.decode()


def test_preferences_offer_a_member_only_the_emails_a_member_can_get(client_for, world):
    member_page = client_for(world.users["member"]).get(reverse("members:notifications"))
    html = member_page.content.decode()
    assert "Reminders before my meetings" in html
    for facilitator_only in (
        "Someone asked to join a group I facilitate",
        "asked for more support",
        "A debrief was escalated to me",
        "Facilitator digest",
    ):
        assert facilitator_only not in html, facilitator_only
    facilitator_page = client_for(world.users["facilitator"]).get(reverse("members:notifications"))
    assert "Someone asked to join a group I facilitate" in facilitator_page.content.decode()
    assert "A debrief was escalated to me" not in facilitator_page.content.decode()


def test_saving_preferences_keeps_the_setting_of_kinds_not_offered(client_for, world):
    member = world.users["member"]
    NotificationPreference.objects.create(user=member, muted_kinds=["facilitator_digest"])
    client_for(member).post(
        reverse("members:notifications"),
        {
            "email_kinds": ["session_reminder"],
            "digest_frequency": "daily",
            "time_zone": "Europe/London",
        },
    )
    muted = NotificationPreference.objects.get(user=member).muted_kinds
    assert "facilitator_digest" in muted and "join_request" not in muted  # as they were
    assert "rsvp_confirmed" in muted and "session_reminder" not in muted


def test_time_zone_chooser_puts_common_zones_first_grouped_by_region(client_for, member):
    html = client_for(member).get(reverse("members:notifications")).content.decode()
    assert html.index('<optgroup label="Common time zones">') < html.index('label="Europe"')
    assert 'value="Europe/Lisbon"' in html and 'value="Asia/Kathmandu"' in html
    for odd in ("Factory", "localtime", "Etc/GMT+5", "US/Eastern", "EST5EDT"):
        assert f'value="{odd}"' not in html, odd
