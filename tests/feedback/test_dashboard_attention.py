"""What needs attention: each rule (feedback/dashboard/attention.py, README "Dashboards")
with data made to trigger it and data made not to."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.dashboard import attention, units
from feedback.dashboard.report import group_dashboard, organisation_dashboard
from feedback.models import CheckinReceipt, CheckinResponse
from feedback.services import question_set_current
from groups.models import Concern, SupportRequest
from sessions.models import Attendance
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
    publish_agreement,
    sign_agreement,
)
from tests.feedback.dashboard_data import close_months, past_meeting, people_in

pytestmark = pytest.mark.django_db


def _days_ago(months_back: int) -> int:
    """Days back to the 15th of the month `months_back` before the latest counted one."""
    month = units.last_closed_month()
    for _step in range(months_back):
        month = units.month_start(month - datetime.timedelta(days=1))
    day = month.replace(day=15)
    return (timezone.localdate() - day).days


def _meeting(group, people, *, months_back: int, came: int, heard: list[int] | None = None):
    """A meeting in that month: the first `came` people present, the rest absent; answers
    from those present with these "felt heard" ratings (released as beat would)."""
    meeting = past_meeting(group, days_ago=_days_ago(months_back))
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, user=u, status="present" if i < came else "absent")
            for i, u in enumerate(people)
        ]
    )
    if heard:
        CheckinReceipt.objects.bulk_create(
            [CheckinReceipt(meeting=meeting, member=u) for u in people[: len(heard)]]
        )
        question_set = question_set_current(organisation=group.organisation_id)
        CheckinResponse.objects.bulk_create(
            [
                CheckinResponse(
                    meeting=meeting,
                    question_set=question_set,
                    meeting_date=timezone.localtime(meeting.starts_at).date(),
                    ratings={"heard": h, "mattered": 7, "method": 7, "overall": 7},
                    mood_before=2,
                    mood_after=4,
                )
                for h in heard
            ]
        )
        services.checkin_release(meeting_id=meeting.pk)
    return meeting


def _rules(group) -> set[str]:
    dashboard = group_dashboard(group)
    found = dashboard.report["attention_units"] + attention.live_rules([group.pk])
    return {item["rule"] for item in found}


@pytest.fixture
def group():
    return PeerGroupFactory(name="Lighthouse")


def _history(group, people, *, recent_came: int, recent_heard=None, earlier_heard=None):
    for months_back in (3, 4, 5):
        _meeting(group, people, months_back=months_back, came=len(people), heard=earlier_heard)
    for months_back in (0, 1, 2):
        _meeting(group, people, months_back=months_back, came=recent_came, heard=recent_heard)
    close_months()


def test_falling_attendance_is_listed(group):
    people = people_in(group, 10, joined_days_ago=400)
    _history(group, people, recent_came=4)
    assert "attendance" in _rules(group)


def test_a_small_fall_or_a_small_groups_noise_is_not(group):
    people = people_in(group, 10, joined_days_ago=400)
    _history(group, people, recent_came=9)  # 100 % to 90 %: under 10 points
    assert "attendance" not in _rules(group)
    small = PeerGroupFactory(name="Small")
    six = people_in(small, 6, joined_days_ago=400)
    # 100 % to 83 %: 17 points, but within twice its standard error over 18 places each.
    _history(small, six, recent_came=5)
    assert "attendance" not in _rules(small)


def test_a_drop_in_felt_heard_is_listed(group):
    people = people_in(group, 8, joined_days_ago=400)
    _history(
        group,
        people,
        recent_came=8,
        earlier_heard=[9, 9, 8, 9, 8, 9],
        recent_heard=[5, 4, 5, 4, 5, 4],
    )
    assert "heard" in _rules(group)


def test_steady_felt_heard_is_not(group):
    people = people_in(group, 8, joined_days_ago=400)
    same = [9, 9, 8, 9, 8, 9]
    _history(group, people, recent_came=8, earlier_heard=same, recent_heard=[9, 8, 8, 9, 8, 9])
    assert "heard" not in _rules(group)


def test_fewer_than_half_coming_is_listed_and_half_is_not(group):
    people = people_in(group, 10, joined_days_ago=400)
    _history(group, people, recent_came=4)
    assert "disengaging" in _rules(group)
    other = PeerGroupFactory(name="Other")
    _history(other, people_in(other, 10, joined_days_ago=400), recent_came=5)
    assert "disengaging" not in _rules(other)


def test_open_concerns_are_listed_closed_ones_are_not(group):
    reporter = MembershipFactory(group=group).user
    concern = Concern.objects.create(group=group, reporter=reporter, description="x")
    assert "concerns" in _rules(group)
    concern.status = Concern.Status.CLOSED
    concern.save()
    assert "concerns" not in _rules(group)


def test_support_requests_waiting_more_than_three_days_are_listed(group):
    member = MembershipFactory(group=group).user
    request = SupportRequest.objects.create(group=group, member=member)
    assert "support" not in _rules(group)  # just asked
    request.created_at = timezone.now() - datetime.timedelta(days=4)
    request.save()
    assert "support" in _rules(group)
    request.status = SupportRequest.Status.HANDLED
    request.save()
    assert "support" not in _rules(group)


def test_members_without_a_signature_two_weeks_after_publishing_are_listed(group):
    member = MembershipFactory(group=group).user
    version = publish_agreement(group)
    assert "unsigned" not in _rules(group)  # published today: time to sign
    version_at = timezone.now() - datetime.timedelta(days=20)
    type(version).objects.filter(pk=version.pk).update(published_at=version_at)
    assert "unsigned" in _rules(group)
    sign_agreement(member, version)
    assert "unsigned" not in _rules(group)


def test_meetings_soon_without_a_facilitator_are_listed(group):
    meeting = MeetingFactory(group=group, facilitator=None)
    assert "facilitator" in _rules(group)
    meeting.facilitator = UserFactory()
    meeting.save()
    assert "facilitator" not in _rules(group)
    MeetingFactory(group=group, starts_at=timezone.now() + datetime.timedelta(days=30))
    assert "facilitator" not in _rules(group)


def test_the_organizer_sees_groups_named_with_links_and_the_facilitator_a_pattern(client, group):
    org = group.organisation
    quiet = PeerGroupFactory(organisation=org, name="Quiet harbour")
    people = people_in(group, 10, joined_days_ago=400)
    _history(group, people, recent_came=4)
    _history(quiet, people_in(quiet, 10, joined_days_ago=400), recent_came=10)
    organizer = UserFactory()
    add_organizer(organizer, org)
    client.force_login(organizer)
    page = client.get(reverse("feedback:org_dashboard", args=[org.slug]))
    items = page.context["attention"]["rules"]
    falling = next(r for r in items if r["rule"] == "attendance")
    assert [e["group"].name for e in falling["entries"]] == ["Lighthouse"]
    html = page.content.decode()
    assert reverse("feedback:group_dashboard", args=[group.slug]) in html
    assert "Attendance fell beyond normal variation" in html
    # Ticking only the quiet group: nothing stands out.
    quiet_only = organisation_dashboard(org, QueryDict(f"group={quiet.pk}"))
    assert not [i for i in quiet_only.report["attention_units"] if i["group_id"] == quiet.pk]

    facilitator = MembershipFactory(group=group, role="facilitator").user
    client.force_login(facilitator)
    page = client.get(reverse("feedback:group_dashboard", args=[group.slug]))
    html = page.content.decode()
    assert "Attendance fell beyond normal variation" in html
    assert "100% to 40%" in html
    assert reverse("meetings:disengagement", args=[group.slug]) in html


def test_an_organizer_on_a_groups_page_is_not_sent_to_the_facilitators_list(client, group):
    _history(group, people_in(group, 10, joined_days_ago=400), recent_came=4)
    organizer = UserFactory()
    add_organizer(organizer, group.organisation)
    client.force_login(organizer)
    html = client.get(reverse("feedback:group_dashboard", args=[group.slug])).content.decode()
    assert "Fewer than half the members came to any meeting" in html
    assert reverse("meetings:disengagement", args=[group.slug]) not in html


def test_with_the_cache_on_a_new_concern_shows_at_once(client, group, settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    facilitator = MembershipFactory(group=group, role="facilitator").user
    client.force_login(facilitator)
    url = reverse("feedback:group_dashboard", args=[group.slug])
    assert "Open concerns waiting" not in client.get(url).content.decode()
    Concern.objects.create(group=group, reporter=facilitator, description="x")
    assert "Open concerns waiting" in client.get(url).content.decode()


def test_with_the_cache_on_the_facilitators_link_never_reaches_an_organizer(
    client, group, settings
):
    """The page is kept drawn, and the one thing it shows about the viewer (whether they
    facilitate the group) is part of which copy they get, in either order."""
    settings.DASHBOARD_CACHE_SECONDS = 600
    _history(group, people_in(group, 10, joined_days_ago=400), recent_came=4)
    facilitator = MembershipFactory(group=group, role="facilitator").user
    organizer = UserFactory()
    add_organizer(organizer, group.organisation)
    url = reverse("feedback:group_dashboard", args=[group.slug])
    link = reverse("meetings:disengagement", args=[group.slug])
    for first, second in ((facilitator, organizer), (organizer, facilitator)):
        seen = {}
        for viewer in (first, second, first, second):
            client.force_login(viewer)
            seen.setdefault(viewer, set()).add(link in client.get(url).content.decode())
        assert seen == {facilitator: {True}, organizer: {False}}
