"""A repeating series as one thing: its dates shown, cancelled or changed from a date on
in one step, with one email per member."""

from __future__ import annotations

import datetime
import time
import zoneinfo

from django.urls import reverse

from sessions.models import Meeting, MeetingSeries, Rsvp
from sessions.services.rsvp import rsvp_set
from tests.factories import MembershipFactory
from tests.fixtures.mail import body_text
from tests.meetings.test_scheduling import form, next_weekday, schedule

LONDON = zoneinfo.ZoneInfo("Europe/London")


def make_series(client, world, count=5, weeks_ahead=1):
    start = next_weekday(3, weeks_ahead=weeks_ahead)
    schedule(client, world, date=start.isoformat(), repeats="weekly", count=str(count), topic="S")
    series = MeetingSeries.objects.get(group=world.group)
    return series, list(Meeting.objects.filter(series=series).order_by("starts_at"))


def test_series_far_ahead_confirmation_lists_its_dates(world, client_for, facilitator):
    client = client_for(facilitator)
    start = next_weekday(3, weeks_ahead=20)
    response = schedule(client, world, date=start.isoformat(), repeats="weekly", count="6")
    text = response.content.decode()
    assert "The series is scheduled" in text
    assert "0 meetings" not in text
    # Every date is listed, the first ones already real meetings that can be opened.
    for n in range(6):
        assert (start + datetime.timedelta(weeks=n)).strftime("%A %-d %B %Y") in text
    series = MeetingSeries.objects.get(group=world.group)
    made = Meeting.objects.filter(series=series)
    assert made.count() >= 4
    assert made.order_by("starts_at").first().get_absolute_url() in text


def test_series_materialise_again_makes_no_duplicates(world, client_for, facilitator):
    from sessions.services.recurrence import series_extend_due

    client = client_for(facilitator)
    series, meetings = make_series(client, world, count=6, weeks_ahead=20)
    series_extend_due()
    assert Meeting.objects.filter(series=series).count() == len(meetings)


def test_cancel_series_from_a_date_sends_one_email_per_member(
    world, client_for, facilitator, smtp_sink, django_capture_on_commit_callbacks
):
    client = client_for(facilitator)
    series, meetings = make_series(client, world, count=5)
    member = world.users["member"]
    other = MembershipFactory(group=world.group).user
    third = meetings[2].series_date
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:series_cancel", args=[series.pk]),
            {"from_date": third.isoformat(), "reason": "The hall closes for works."},
            follow=True,
        )
    assert "3 meetings are cancelled" in response.content.decode()
    statuses = [m.status for m in Meeting.objects.filter(series=series).order_by("starts_at")]
    assert statuses == ["scheduled"] * 2 + ["cancelled"] * 3
    series.refresh_from_db()
    assert series.until == third - datetime.timedelta(days=1)
    # member, facilitator and other: one email each, listing the three dates.
    smtp_sink.wait_for(3)
    time.sleep(0.5)
    for user in (member, other, facilitator):
        mails = smtp_sink.to(user.email)
        assert len(mails) == 1, [m["Subject"] for m in mails]
        text = body_text(mails[0])
        assert "These 3 meetings of the series will not take place" in text
        assert "The hall closes for works." in text
        for meeting in meetings[2:]:
            assert meeting.starts_at.astimezone(LONDON).strftime("%-d %B %Y") in text
        assert "Crisis resources" in text
    # The series page says which are cancelled, and nothing is left to cancel from then.
    page = client.get(reverse("meetings:series", args=[series.pk])).content.decode()
    assert page.count("Cancelled") == 3


def test_cancel_series_refuses_a_past_or_unknown_date(world, client_for, facilitator):
    client = client_for(facilitator)
    series, _meetings = make_series(client, world, count=3)
    response = client.post(
        reverse("meetings:series_cancel", args=[series.pk]),
        {"from_date": "2001-01-01", "reason": "No"},
    )
    assert response.status_code == 200
    assert not Meeting.objects.filter(series=series, status="cancelled").exists()


def test_edit_series_from_a_date_sends_one_email_per_member(
    world, client_for, facilitator, smtp_sink, django_capture_on_commit_callbacks
):
    client = client_for(facilitator)
    _series, meetings = make_series(client, world, count=5)
    member = world.users["member"]
    for meeting in meetings[1:]:
        rsvp_set(meeting=meeting, member=member, status=Rsvp.Status.GOING, mode="online")
    smtp_sink.clear()
    second = meetings[1]
    local = second.starts_at.astimezone(LONDON)
    data = form(
        date=local.date().isoformat(),
        start_time="19:00",
        end_time="20:30",
        topic="S",
        scope="following",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:edit", args=[second.pk]), data, follow=True)
    assert "This and the following meetings are updated." in response.content.decode()
    smtp_sink.wait_for(1)
    time.sleep(0.5)
    mails = smtp_sink.to(member.email)
    assert len(mails) == 1, [m["Subject"] for m in mails]
    text = body_text(mails[0])
    assert "4 meetings of" in text
    assert text.count("19:00") == 4
    assert mails[0]["Subject"] == "4 meetings you're going to changed"


def test_series_page_is_404_for_members(world, client_for, facilitator, member):
    series, _ = make_series(client_for(facilitator), world, count=2)
    assert client_for(member).get(reverse("meetings:series", args=[series.pk])).status_code == 404
