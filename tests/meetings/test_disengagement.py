"""Disengagement list and gentle check-ins (issue 10, item 8)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from members.models import NotificationPreference
from members.services.data import member_data_sections
from sessions.models import Attendance, GentleCheckin, Rsvp
from sessions.selectors.disengagement import disengaged_members
from tests.factories import MeetingFactory, MembershipFactory, UserFactory
from tests.support import assert_constant_queries

ABSENT, PRESENT, EXCUSED = "absent", "present", "excused"
MISSED_REASON = "hasn't been to the last 3 meetings"
SILENT_REASON = "no reply for 6 weeks"


def _url(group) -> str:
    return reverse("meetings:disengagement", args=[group.slug])


def _post_url(group) -> str:
    return reverse("meetings:gentle_checkin", args=[group.slug])


def _past_meetings(group, count: int, *, first_weeks_ago: int = 1):
    """`count` held meetings a week apart, oldest first, the newest `first_weeks_ago` back."""
    now = timezone.now()
    return [
        MeetingFactory(group=group, starts_at=now - datetime.timedelta(weeks=first_weeks_ago + i))
        for i in reversed(range(count))
    ]


def _history(group, user, marks: list[str], *, others=()):
    """Meetings oldest first with `user` marked as in `marks`; `others` marked present."""
    meetings = _past_meetings(group, len(marks))
    for meeting, status in zip(meetings, marks, strict=True):
        Attendance.objects.create(meeting=meeting, user=user, status=status)
        for other in others:
            Attendance.objects.create(meeting=meeting, user=other, status=PRESENT)
    return meetings


def _names(group) -> list[str]:
    return [row.display_name for row in disengaged_members(group)]


def _quiet_member(group, name: str = "Quiet Sam"):
    """An active member for 10 weeks who never replied to anything."""
    user = UserFactory(display_name=name)
    MembershipFactory(
        group=group, user=user, joined_at=timezone.now() - datetime.timedelta(weeks=10)
    )
    return user


# --- Who is listed ------------------------------------------------------------------------
def test_disengagement_three_missed_in_a_row_listed_with_kind_reason(world, client_for):
    member = world.users["member"]
    _history(world.group, member, [PRESENT, ABSENT, ABSENT, ABSENT])
    response = client_for(world.users["facilitator"]).get(_url(world.group))
    text = response.content.decode()
    assert response.status_code == 200
    assert member.display_name in text
    assert MISSED_REASON in text
    assert SILENT_REASON not in text
    assert "Send Member a gentle check-in" in text


def test_disengagement_two_missed_not_listed(world):
    _history(world.group, world.users["member"], [PRESENT, ABSENT, ABSENT])
    assert _names(world.group) == []


def test_disengagement_missed_attended_missed_missed_not_listed(world):
    _history(world.group, world.users["member"], [ABSENT, PRESENT, ABSENT, ABSENT])
    assert _names(world.group) == []


def test_disengagement_excused_is_not_missed(world):
    _history(world.group, world.users["member"], [ABSENT, EXCUSED, ABSENT])
    assert _names(world.group) == []


def test_disengagement_cancelled_meetings_do_not_count(world):
    member = world.users["member"]
    meetings = _history(world.group, member, [ABSENT, ABSENT, PRESENT])
    meetings[-1].status = "cancelled"
    meetings[-1].save()
    assert _names(world.group) == []  # two held meetings only


def test_disengagement_on_break_pending_and_facilitators_excluded(world):
    users = world.users
    for person in (users["on_break"], users["pending"], users["facilitator"]):
        _history(world.group, person, [ABSENT, ABSENT, ABSENT])
    assert _names(world.group) == []


def test_disengagement_member_who_takes_a_break_drops_off(world):
    member = world.users["member"]
    _history(world.group, member, [ABSENT, ABSENT, ABSENT])
    assert _names(world.group) == ["Member"]
    Membership.objects.filter(group=world.group, user=member).update(status="on_break")
    assert _names(world.group) == []


def test_disengagement_other_groups_attendance_does_not_count(world):
    member = world.users["member"]
    MembershipFactory(group=world.other_group, user=member)
    _history(world.other_group, member, [ABSENT, ABSENT, ABSENT])
    assert _names(world.group) == []
    assert _names(world.other_group) == ["Member"]


def test_disengagement_no_reply_for_six_weeks_listed(world, client_for):
    quiet = _quiet_member(world.group)
    replied = _quiet_member(world.group, "Replied Robin")
    came = _quiet_member(world.group, "Came Casey")
    held = MeetingFactory(group=world.group, starts_at=timezone.now() - datetime.timedelta(days=9))
    Rsvp.objects.create(meeting=world.meeting, user=replied, status="not_going")
    Attendance.objects.create(meeting=held, user=came, status=PRESENT)
    text = client_for(world.users["facilitator"]).get(_url(world.group)).content.decode()
    assert _names(world.group) == [quiet.display_name]
    assert SILENT_REASON in text and MISSED_REASON not in text


def test_disengagement_newcomer_not_silent_before_six_weeks(world):
    MeetingFactory(group=world.group, starts_at=timezone.now() - datetime.timedelta(days=9))
    # world's member joined just now and has not replied yet: too early to worry.
    assert _names(world.group) == []


def test_disengagement_group_without_meetings_lists_nobody(world, client_for):
    _quiet_member(world.group)
    MeetingFactory(group=world.group, starts_at=timezone.now() - datetime.timedelta(weeks=8))
    text = client_for(world.users["facilitator"]).get(_url(world.group)).content.decode()
    assert _names(world.group) == []
    assert "Everyone is keeping in touch" in text


def test_disengagement_shows_last_attended_date(world, client_for):
    member = world.users["member"]
    meetings = _history(world.group, member, [PRESENT, ABSENT, ABSENT, ABSENT])
    text = client_for(world.users["facilitator"]).get(_url(world.group)).content.decode()
    assert f"{meetings[0].starts_at:%-d %b %Y}" in text


# --- Sending ------------------------------------------------------------------------------
@pytest.fixture
def listed(world):
    """world's member has missed the last 3 meetings."""
    _history(world.group, world.users["member"], [ABSENT, ABSENT, ABSENT])
    return world.users["member"]


def _send(client, group, member, capture, message="We've missed you, no pressure."):
    with capture(execute=True):
        return client.post(_post_url(group), {"member": member.pk, "message": message}, follow=True)


def test_gentle_checkin_emails_member_and_is_recorded(
    world, listed, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.users["facilitator"])
    response = _send(client, world.group, listed, django_capture_on_commit_callbacks)
    text = response.content.decode()
    assert [m.to for m in mailoutbox] == [[listed.email]]
    email = mailoutbox[0]
    assert email.subject == "Facilitator is thinking of you"
    assert "We&#x27;ve missed you, no pressure." in email.alternatives[0][0]
    assert "We've missed you, no pressure." in email.body
    assert "Your check-in to Member is on its way." in text
    assert "by Facilitator" in text and "Already sent today." in text
    checkin = GentleCheckin.objects.get()
    assert (checkin.member, checkin.sent_by, checkin.emailed) == (
        listed,
        world.users["facilitator"],
        True,
    )


def test_gentle_checkin_discreet_member_gets_no_group_name(
    world, listed, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    listed.discreet_mode = True
    listed.save()
    _send(
        client_for(world.users["facilitator"]),
        world.group,
        listed,
        django_capture_on_commit_callbacks,
    )
    email = mailoutbox[0]
    assert world.group.name not in email.subject
    assert world.group.name not in email.body
    assert world.group.name not in email.alternatives[0][0]


def test_gentle_checkin_double_submit_sends_once(
    world, listed, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.users["facilitator"])
    _send(client, world.group, listed, django_capture_on_commit_callbacks)
    second = _send(client, world.group, listed, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert GentleCheckin.objects.count() == 1
    assert "already sent to Member today" in second.content.decode()


def test_gentle_checkin_respects_opt_out(
    world, listed, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=listed, muted_kinds=["gentle_checkin"])
    response = _send(
        client_for(world.users["facilitator"]),
        world.group,
        listed,
        django_capture_on_commit_callbacks,
    )
    text = response.content.decode()
    assert mailoutbox == []
    assert "was not sent: they turned check-in emails off" in text
    assert "not sent by email, they turned check-in emails off" in text


def test_gentle_checkin_without_a_confirmed_address_says_it_was_not_sent(
    world, listed, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=listed).update(verified=False)
    response = _send(
        client_for(world.users["facilitator"]),
        world.group,
        listed,
        django_capture_on_commit_callbacks,
    )
    text = response.content.decode()
    assert mailoutbox == []
    assert "on its way" not in text
    assert "was not sent: they have no confirmed email address" in text
    assert "not sent by email, they have no confirmed email address" in text
    checkin = GentleCheckin.objects.get()
    assert (checkin.emailed, checkin.not_sent_reason) == (False, "no_address")


def test_gentle_checkin_member_who_replied_afterwards_drops_off(
    world, listed, client_for, django_capture_on_commit_callbacks
):
    _send(
        client_for(world.users["facilitator"]),
        world.group,
        listed,
        django_capture_on_commit_callbacks,
    )
    assert _names(world.group) == ["Member"]
    Rsvp.objects.create(meeting=world.meeting, user=listed, status="going")
    assert _names(world.group) == []


@pytest.mark.parametrize(
    "data, says",
    [
        ({"member": "abc", "message": "Hello"}, "Enter a whole number."),
        ({"message": "Hello"}, "Please choose a member from the list."),
        ({"member": "999999", "message": "Hello"}, "no longer on the list"),
        ({"member": "LISTED", "message": "   "}, "Please write a short message."),
        ({"member": "LISTED", "message": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_gentle_checkin_bad_input_explains_and_sends_nothing(
    world, listed, client_for, mailoutbox, data, says
):
    if data.get("member") == "LISTED":
        data = {**data, "member": listed.pk}
    response = client_for(world.users["facilitator"]).post(_post_url(world.group), data)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert mailoutbox == [] and not GentleCheckin.objects.exists()


def test_gentle_checkin_not_sent_to_member_on_break(world, client_for, mailoutbox):
    on_break = world.users["on_break"]
    _history(world.group, on_break, [ABSENT, ABSENT, ABSENT])
    response = client_for(world.users["facilitator"]).post(
        _post_url(world.group), {"member": on_break.pk, "message": "Hello"}
    )
    assert "no longer on the list" in response.content.decode()
    assert mailoutbox == [] and not GentleCheckin.objects.exists()


def test_disengagement_organizer_gets_403_and_sends_nothing(world, listed, client_for, mailoutbox):
    client = client_for(world.users["organizer"])
    assert client.get(_url(world.group)).status_code == 403
    response = client.post(_post_url(world.group), {"member": listed.pk, "message": "Hi"})
    assert response.status_code == 403
    assert not GentleCheckin.objects.exists()
    other = client_for(world.users["other_organizer"])
    assert other.get(_url(world.group)).status_code == 404


def test_disengagement_organizer_who_also_facilitates_sees_the_list(world, listed, client_for):
    organizer = world.users["organizer"]
    MembershipFactory(group=world.group, user=organizer, role="facilitator")
    response = client_for(organizer).get(_url(world.group))
    assert response.status_code == 200 and "Member" in response.content.decode()


def test_gentle_checkin_is_in_the_members_data_export(
    world, listed, client_for, django_capture_on_commit_callbacks
):
    _send(
        client_for(world.users["facilitator"]),
        world.group,
        listed,
        django_capture_on_commit_callbacks,
    )
    sections = {title: list(rows) for title, rows in member_data_sections(user=listed)}
    rows = next(rows for title, rows in sections.items() if title.startswith("gentle checkin"))
    assert rows[0]["member"] == "you" and rows[0]["sent_by"] == "another person"


def test_facilitator_dashboard_links_each_facilitated_group(world, client_for):
    dashboard = reverse("meetings:facilitator_dashboard")
    text = client_for(world.users["facilitator"]).get(dashboard).content.decode()
    assert _url(world.group) in text
    organizer_text = client_for(world.users["organizer"]).get(dashboard).content.decode()
    assert "/disengagement/" not in organizer_text


# --- Cost ---------------------------------------------------------------------------------
def test_disengagement_page_queries_do_not_grow_with_members_and_meetings(world, client_for):
    client = client_for(world.users["facilitator"])
    recent = _history(world.group, world.users["member"], [ABSENT, ABSENT, ABSENT])

    def page():
        response = client.get(_url(world.group))
        assert response.status_code == 200

    def grow():
        people = [_quiet_member(world.group, f"Quiet {i}") for i in range(12)]
        older = _past_meetings(world.group, 6, first_weeks_ago=10)
        for meeting in older:
            for person in people:
                Attendance.objects.create(meeting=meeting, user=person, status=PRESENT)
        for meeting in recent:
            for person in people[:6]:
                Attendance.objects.create(meeting=meeting, user=person, status=ABSENT)
        for person in people[6:9]:
            Rsvp.objects.create(meeting=world.meeting, user=person, status="going")
        GentleCheckin.objects.create(
            group=world.group,
            member=people[0],
            sent_by=world.users["facilitator"],
            sent_on=timezone.now().date(),
        )

    assert_constant_queries(page, grow, limit=11)  # 10, and the bell's count (cold path)
    # member, the 6 who missed the recent meetings, and 3 who went quiet (9 to 11).
    assert len(disengaged_members(world.group)) == 10


# --- In Chromium --------------------------------------------------------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_facilitator_sends_a_gentle_check_in_in_the_browser(page, smtp_sink):
    from tests.factories import PASSWORD, PeerGroupFactory
    from tests.fixtures.browser import axe_check, sign_in

    group = PeerGroupFactory(name="Harbour Circle")
    facilitator = UserFactory(email="fac@example.net", display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    member = UserFactory(email="sam@example.net", display_name="Sam")
    MembershipFactory(group=group, user=member)
    _history(group, member, [PRESENT, ABSENT, ABSENT, ABSENT], others=[facilitator])

    sign_in(page, facilitator.email, PASSWORD)
    page.goto(reverse("meetings:facilitator_dashboard"))
    page.get_by_role("link", name="Harbour Circle").last.click()
    page.get_by_role("heading", name="Members you might check in with").wait_for()
    assert "hasn't been to the last 3 meetings" in page.get_by_role("row", name="Sam").inner_text()
    axe_check(page)

    page.get_by_text("Send Sam a gentle check-in").click()
    page.get_by_label("Your message").fill("Hi Sam, thinking of you. No pressure at all.")
    axe_check(page)
    page.get_by_role("button", name="Send check-in").click()
    page.get_by_text("Your check-in to Sam is on its way.").wait_for()
    assert "Already sent today." in page.get_by_role("row", name="Sam").inner_text()

    smtp_sink.wait_for(1)
    [email] = smtp_sink.to(member.email)
    assert email["Subject"] == "Frankie is thinking of you"
    assert "thinking of you. No pressure at all." in email.get_body(("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_gentle_checkin_two_facilitators_at_once_send_one(mailoutbox):
    """Two co-facilitators press "send" at the same moment, each on its own connection."""
    import threading

    from django.db import connection

    from sessions.services.disengagement import gentle_checkin_send
    from tests.factories import PeerGroupFactory

    group = PeerGroupFactory()
    first, second = UserFactory(), UserFactory()
    for person in (first, second):
        MembershipFactory(group=group, user=person, role="facilitator")
    member = UserFactory(display_name="Sam")
    MembershipFactory(group=group, user=member)
    _history(group, member, [ABSENT, ABSENT, ABSENT])
    barrier, created = threading.Barrier(2), []

    def send(by):
        try:
            barrier.wait(timeout=30)
            result = gentle_checkin_send(group=group, member_id=member.pk, by=by, message="Hi")
            created.append(result.created)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(by,)) for by in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(created) == [False, True]
    assert GentleCheckin.objects.count() == 1
    assert [m.to for m in mailoutbox] == [[member.email]]
