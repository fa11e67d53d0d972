"""Notifications in the app (the bell): written by `notify` with the ledger row, exactly
once, per the member's channel for each kind; the list, opening, marking read; nobody
else's notices; what an email subject never says, for every kind.

Tasks run in-process (eager) here, and mail goes over real SMTP to the aiosmtpd sink.
"""

from __future__ import annotations

import re

import pytest
from django.template.loader import get_template
from django.urls import reverse

from members.models import Delivery, Notice, NotificationPreference
from members.notifications import KINDS, Kind, notify, notify_many, register_kind, unsubscribe_token
from tests.factories import MembershipFactory, PeerGroupFactory, UserFactory, publish_agreement

pytestmark = pytest.mark.django_db

GROUP = "Harbour Night Owls"
SIGN = {"sign_url": "https://example.test/sign"}


@pytest.fixture(autouse=True)
def _mail(smtp_sink):
    """Every email here goes to the sink, whether or not a test reads it."""
    return smtp_sink


@pytest.fixture
def version():
    return publish_agreement(PeerGroupFactory(name=GROUP))


def _resign(user, version, capture, **options):
    """The group's agreement changed: ask `user` to sign it again (email and app)."""
    with capture(execute=True):
        return notify(
            kind="agreement_resign",
            recipient=user,
            about=version,
            context=SIGN,
            **options,
        )


def _bell(client) -> str:
    """The Notifications link's accessible name as the home page draws it (what a screen
    reader says: its label when it has one, else its text)."""
    html = client.get(reverse("home")).content.decode()
    [(label, text)] = re.findall(
        r'<a class="nav-link bell-link" href="/me/notices/"(?: aria-label="([^"]*)")?>(.*?)</a>',
        html,
    )
    return label or " ".join(re.sub(r"<[^>]+>", "", text).split())


# --- Written once, by channel ---------------------------------------------------------------
def test_notify_writes_one_notice_and_a_second_notify_writes_nothing(
    version, client_for, smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory()
    assert _resign(user, version, django_capture_on_commit_callbacks)
    assert not _resign(user, version, django_capture_on_commit_callbacks)
    [notice] = Notice.objects.filter(recipient=user)
    assert notice.title == GROUP
    assert notice.link == reverse("groups:agreement_sign", args=[version.group.slug])
    assert len(smtp_sink.wait_for(1)) == 1  # by email too: both channels are on by default
    page = client_for(user).get(reverse("members:notices")).content.decode()
    assert f"The agreement of {GROUP} changed: please read and sign it" in page
    assert _bell(client_for(user)) == "Notifications, 1 unread"


def test_notify_many_writes_once_per_member_and_a_rerun_writes_nothing(
    version, django_capture_on_commit_callbacks
):
    members = [UserFactory() for _ in range(3)]
    NotificationPreference.objects.create(user=members[2], app_muted_kinds=["agreement_resign"])
    with django_capture_on_commit_callbacks(execute=True):
        for _run in range(2):  # the second: beat again, a retried task
            notify_many(kind="agreement_resign", recipients=members, about=version, context=SIGN)
    assert sorted(Notice.objects.values_list("recipient_id", flat=True)) == sorted(
        [members[0].pk, members[1].pk]
    )


def test_app_only_email_only_and_neither(version, smtp_sink, django_capture_on_commit_callbacks):
    app_only, email_only, neither = UserFactory(), UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=app_only, muted_kinds=["agreement_resign"])
    NotificationPreference.objects.create(user=email_only, app_muted_kinds=["agreement_resign"])
    NotificationPreference.objects.create(
        user=neither, muted_kinds=["agreement_resign"], app_muted_kinds=["agreement_resign"]
    )
    for user in (app_only, email_only, neither):
        _resign(user, version, django_capture_on_commit_callbacks)
    smtp_sink.wait_for(1)
    assert [m["To"] for m in smtp_sink.messages] == [email_only.email]
    assert list(Notice.objects.values_list("recipient_id", flat=True)) == [app_only.pk]
    assert Delivery.objects.get(recipient=app_only).status == Delivery.Status.SKIPPED


def test_the_preferences_page_sets_each_channel_and_keeps_earlier_mutes(client_for, member):
    # Muted by email before the app channel existed: still muted by email, on in the app.
    NotificationPreference.objects.create(user=member, muted_kinds=["checkin_survey"])
    client = client_for(member)
    page = client.get(reverse("members:notifications")).content.decode()
    assert 'name="app_kinds" value="checkin_survey" id="id_app_checkin_survey" checked' in page
    assert 'name="email_kinds" value="checkin_survey" id="id_email_checkin_survey">' in page
    assert "By email: The short check-in survey after a meeting" in page  # each tick's name
    response = client.post(
        reverse("members:notifications"),
        {
            "email_kinds": ["session_reminder", "agreement_resign"],
            "app_kinds": ["session_reminder", "checkin_survey"],
            "digest_frequency": "weekly",
            "time_zone": "Europe/London",
        },
        follow=True,
    )
    assert "Your notification preferences are saved." in response.content.decode()
    pref = NotificationPreference.objects.get(user=member)
    assert "agreement_resign" in pref.app_muted_kinds
    assert "agreement_resign" not in pref.muted_kinds
    assert "checkin_survey" in pref.muted_kinds and "checkin_survey" not in pref.app_muted_kinds
    # The welcome email can't go to the app: the page offers no tick for it there.
    assert 'id="id_app_welcome"' not in response.content.decode()


def test_unsubscribe_stops_the_email_and_leaves_the_notices(
    client, version, smtp_sink, django_capture_on_commit_callbacks
):
    user = UserFactory()
    token = unsubscribe_token(user=user, kind="agreement_resign")
    client.post(reverse("members:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"})
    _resign(user, version, django_capture_on_commit_callbacks)
    assert smtp_sink.messages == []
    assert Notice.objects.filter(recipient=user).count() == 1


def test_a_kind_registered_by_an_app_above_goes_to_the_app_only(
    smtp_sink, django_capture_on_commit_callbacks
):
    register_kind(
        Kind(
            "test_space_reply",
            "New replies in threads I wrote in",
            channels=frozenset({"app"}),
            notice="New reply in %(title)s",
        )
    )
    try:
        user = UserFactory()
        membership = MembershipFactory(user=user)
        with django_capture_on_commit_callbacks(execute=True):
            notify(kind="test_space_reply", recipient=user, about=membership)
        assert Delivery.objects.get(recipient=user).status == Delivery.Status.SKIPPED
        assert Notice.objects.filter(recipient=user, kind="test_space_reply").count() == 1
        assert smtp_sink.messages == []
    finally:
        KINDS.pop("test_space_reply")


def test_a_notice_keeps_nothing_a_person_wrote(django_capture_on_commit_callbacks):
    """Raw database: a facilitator's personal check-in leaves no words in the notice."""
    user = UserFactory()
    membership = MembershipFactory(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind="gentle_checkin",
            recipient=user,
            about=membership,
            context={
                "sender": UserFactory(),
                "message": "We missed you",
                "group": membership.group,
            },
        )
    [row] = Notice.objects.filter(recipient=user).values()
    assert "We missed you" not in str(row)


# --- The list, opening, marking ---------------------------------------------------------------
def test_opening_a_notice_marks_it_read_and_goes_to_the_thing(
    version, client_for, django_capture_on_commit_callbacks
):
    user = UserFactory()
    _resign(user, version, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(recipient=user)
    client = client_for(user)
    response = client.get(reverse("members:notice_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:agreement_sign", args=[version.group.slug])
    notice.refresh_from_db()
    assert notice.is_read
    assert _bell(client) == "Notifications"  # the count is gone at once


def test_the_list_is_paginated_newest_first_private_and_marks_all_read(
    client_for, member, version, django_capture_on_commit_callbacks
):
    for n in range(25):
        _resign(member, version, django_capture_on_commit_callbacks, key=f"v{n}")
    client = client_for(member)
    assert _bell(client) == "Notifications, 25 unread"
    response = client.get(reverse("members:notices"))
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count("please read and sign it") == 20
    assert "Older" in html and "Mark all as read" in html
    older = client.get(reverse("members:notices") + "?page=2").content.decode()
    assert older.count("please read and sign it") == 5
    done = client.post(reverse("members:notices_read"), follow=True).content.decode()
    assert "All your notifications are marked as read." in done
    assert not Notice.objects.filter(recipient=member).unread().exists()
    assert _bell(client) == "Notifications"


def test_a_bad_page_number_is_not_a_server_error(client_for, member):
    response = client_for(member).get(reverse("members:notices") + "?page=abc")
    assert response.status_code in {200, 404}


# --- The attacker ---------------------------------------------------------------------------
def test_another_member_can_neither_read_nor_mark_my_notices(
    client_for, version, django_capture_on_commit_callbacks
):
    mine, theirs = UserFactory(), UserFactory()
    _resign(mine, version, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(recipient=mine)
    client = client_for(theirs)
    # A guessed id answers like one that does not exist, and changes nothing.
    assert client.get(reverse("members:notice_open", args=[notice.pk])).status_code == 404
    assert client.get(reverse("members:notice_open", args=[notice.pk + 999])).status_code == 404
    assert _bell(client) == "Notifications"  # the header drawn for my count is not theirs
    client.post(reverse("members:notices_read"))
    assert GROUP not in client.get(reverse("members:notices")).content.decode()
    notice.refresh_from_db()
    assert not notice.is_read
    assert _bell(client_for(mine)) == "Notifications, 1 unread"


def test_a_notice_never_sends_its_reader_to_another_site(client_for, member):
    from django.contrib.contenttypes.models import ContentType

    notice = Notice.objects.create(
        kind="agreement_resign",
        about_type=ContentType.objects.get_for_model(member),
        about_id=member.pk,
        recipient=member,
        link="//evil.example/phish",
    )
    response = client_for(member).get(reverse("members:notice_open", args=[notice.pk]))
    assert response["Location"] == reverse("members:notices")


# --- Subjects -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(k for k, spec in KINDS.items() if "email" in spec.channels))
def test_no_email_subject_can_name_a_group_or_what_someone_wrote(kind):
    """Every kind's subject reads only dates, counts and a sender's display name: never a
    group, its topic, a meeting's title or a message (so discreet mode holds there)."""
    source = get_template(f"emails/{kind}_subject.txt").template.source
    variables = set(re.findall(r"\{\{\s*([\w.]+)", source))
    variables |= set(re.findall(r"(?:with|count)\s+\w+=([\w.]+)", source))
    variables |= set(re.findall(r"\{%\s*if\s+([\w.]+)", source))
    allowed = {"when", "changed", "n", "frequency", "sender_role", "role", "discreet"}
    allowed |= {"sender.display_name", "day", "time", "name"}
    assert variables <= allowed, f"{kind} subject reads {variables - allowed}"
