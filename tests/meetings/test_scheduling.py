"""Facilitators schedule, edit, move, split, cancel and complete meetings in a browser form."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Meeting, MeetingSeries
from tests.factories import MeetingFactory, MembershipFactory
from tests.fixtures.mail import body_text
from tests.support import form_as_rendered

LONDON = zoneinfo.ZoneInfo("Europe/London")


def next_weekday(weekday: int, weeks_ahead: int = 1) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def form(**overrides) -> dict:
    data = {
        "date": next_weekday(3).isoformat(),
        "start_time": "18:30",
        "end_time": "20:00",
        "repeats": "once",
        "month_week": "",
        "until": "",
        "count": "",
        "topic": "Sleep",
        "format": "",
        "place": "",
        "online_link": "",
        "capacity": "",
        "online_capacity": "",
        "facilitator": "",
    }
    return {**data, **overrides}


def schedule(client, world, **overrides):
    return client.post(
        reverse("meetings:schedule", args=[world.group.slug]), form(**overrides), follow=True
    )


def test_schedule_page_names_the_groups_time_zone(world, client_for, facilitator):
    page = client_for(facilitator).get(reverse("meetings:schedule", args=[world.group.slug]))
    text = page.content.decode()
    assert "Europe/London" in text
    assert "Starts (Europe/London time)" in text


def test_schedule_single_meeting_shows_its_page(world, client_for, facilitator):
    response = schedule(client_for(facilitator), world, topic="Sleep and rest")
    meeting = Meeting.objects.get(group=world.group, topic="Sleep and rest")
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "The meeting is scheduled." in response.content.decode()
    assert meeting.starts_at.astimezone(LONDON).time() == datetime.time(18, 30)
    assert meeting.duration_minutes == 90
    assert meeting.capacity == world.group.capacity
    assert meeting.series is None
    # The new meeting starts from the group's default agenda.
    assert meeting.agenda_items.exists()


def test_schedule_weekly_series_with_count_creates_that_many(world, client_for, facilitator):
    response = schedule(client_for(facilitator), world, repeats="weekly", count="3", topic="W")
    assert "The series is scheduled" in response.content.decode()
    meetings = list(Meeting.objects.filter(group=world.group, topic="W"))
    assert len(meetings) == 3
    assert {m.starts_at.astimezone(LONDON).time() for m in meetings} == {datetime.time(18, 30)}
    assert len({m.series_id for m in meetings}) == 1


def test_schedule_monthly_last_weekday_series(world, client_for, facilitator):
    start = next_weekday(0)
    schedule(
        client_for(facilitator),
        world,
        date=start.isoformat(),
        repeats="monthly",
        month_week="-1",
        count="2",
        topic="M",
    )
    series = MeetingSeries.objects.get(group=world.group)
    assert series.nth == -1
    for meeting in Meeting.objects.filter(series=series):
        day = meeting.series_date
        assert day.weekday() == 0
        assert (day + datetime.timedelta(days=7)).month != day.month


def test_schedule_series_without_an_end_is_refused(world, client_for, facilitator):
    response = schedule(client_for(facilitator), world, repeats="weekly", topic="Endless")
    assert response.status_code == 200
    assert "A repeating series needs an end" in response.content.decode()
    assert not MeetingSeries.objects.exists()


def test_a_late_evening_meeting_may_end_after_midnight(world, client_for, facilitator):
    schedule(client_for(facilitator), world, start_time="23:00", end_time="00:30", topic="Late")
    meeting = Meeting.objects.get(group=world.group, topic="Late")
    assert meeting.duration_minutes == 90
    assert meeting.ends_at.astimezone(LONDON).time() == datetime.time(0, 30)
    assert meeting.ends_at.astimezone(LONDON).date() > meeting.starts_at.astimezone(LONDON).date()


def test_schedule_end_before_start_is_a_form_error(world, client_for, facilitator):
    response = schedule(client_for(facilitator), world, start_time="19:00", end_time="18:00")
    assert "The meeting must end after it starts." in response.content.decode()
    response = schedule(client_for(facilitator), world, start_time="19:00", end_time="19:00")
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.filter(topic="Sleep").exists()


def test_schedule_in_the_past_is_refused(world, client_for, facilitator):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = schedule(client_for(facilitator), world, date=yesterday.isoformat())
    assert "Choose a time in the future." in response.content.decode()


def test_schedule_too_many_meetings_is_refused(world, client_for, facilitator):
    response = schedule(client_for(facilitator), world, repeats="weekly", count="500")
    assert response.status_code == 200
    assert not MeetingSeries.objects.exists()


def test_schedule_with_a_bad_link_keeps_the_input(world, client_for, facilitator):
    response = schedule(client_for(facilitator), world, online_link="not a link", topic="Kept")
    text = response.content.decode()
    assert "Enter a valid URL." in text
    assert 'value="Kept"' in text


# --- editing ----------------------------------------------------------------------------
def edit(client, meeting, **overrides):
    # The meeting's own times: a meeting made "2 days ago" at 20:51 must not meet the
    # form's default end of 20:00 (the test then depended on the time of day it ran).
    local = meeting.starts_at.astimezone(LONDON)
    end = meeting.ends_at.astimezone(LONDON)
    current = {
        "date": local.date().isoformat(),
        "start_time": local.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
    }
    data = form(**{**current, "scope": "this", **overrides})
    return client.post(reverse("meetings:edit", args=[meeting.pk]), data, follow=True)


def make_series(client, world, count=4):
    schedule(client, world, repeats="weekly", count=str(count), topic="Series")
    return list(Meeting.objects.filter(group=world.group, topic="Series").order_by("starts_at"))


def test_edit_one_occurrence_detaches_it_and_leaves_the_others(world, client_for, facilitator):
    client = client_for(facilitator)
    meetings = make_series(client, world)
    second = meetings[1]
    moved_to = second.starts_at.astimezone(LONDON).date() + datetime.timedelta(days=1)
    response = edit(client, second, date=moved_to.isoformat(), topic="Moved", end_time="21:00")
    assert "The meeting is updated." in response.content.decode()
    second.refresh_from_db()
    assert second.detached
    assert second.starts_at.astimezone(LONDON).date() == moved_to
    assert second.duration_minutes == 150
    others = Meeting.objects.filter(topic="Series")
    assert others.count() == 3


def test_edit_this_and_following_splits_the_series(world, client_for, facilitator):
    client = client_for(facilitator)
    meetings = make_series(client, world, count=4)
    old_series = meetings[0].series
    third = meetings[2]
    response = edit(client, third, start_time="19:00", end_time="20:30", scope="following")
    assert "This and the following meetings are updated." in response.content.decode()
    old_series.refresh_from_db()
    assert old_series.until == third.series_date - datetime.timedelta(days=1)
    assert Meeting.objects.filter(series=old_series).count() == 2
    new_series = MeetingSeries.objects.exclude(pk=old_series.pk).get()
    later = list(Meeting.objects.filter(series=new_series).order_by("starts_at"))
    assert len(later) == 2  # four in all, as the count said
    assert {m.starts_at.astimezone(LONDON).time() for m in later} == {datetime.time(19, 0)}
    # The same meetings moved: their pages, agendas (and later RSVPs) are kept.
    assert [m.pk for m in later] == [m.pk for m in meetings[2:]]
    assert response.redirect_chain[-1][0] == third.get_absolute_url()


def test_edit_this_and_following_to_another_weekday(world, client_for, facilitator):
    client = client_for(facilitator)
    meetings = make_series(client, world, count=3)
    second = meetings[1]
    friday = second.series_date + datetime.timedelta(days=1)
    edit(client, second, date=friday.isoformat(), scope="following")
    days = [
        m.starts_at.astimezone(LONDON).date()
        for m in Meeting.objects.filter(group=world.group)
        .exclude(pk=world.meeting.pk)
        .order_by("starts_at")
    ]
    assert days == [meetings[0].series_date, friday, friday + datetime.timedelta(days=7)]


def test_edit_a_past_meeting_is_refused_with_a_message(world, client_for, facilitator):
    # Two days ago at 18:00 in the group's zone: an evening that ends the same day, whenever
    # the suite runs.
    day = (timezone.now() - datetime.timedelta(days=2)).astimezone(LONDON).date()
    starts = datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=LONDON)
    past = MeetingFactory(group=world.group, starts_at=starts)
    client = client_for(facilitator)
    page = client.get(reverse("meetings:edit", args=[past.pk]), follow=True)
    assert "can&#x27;t be changed" in page.content.decode()
    before = past.topic
    response = edit(client, past, topic="Rewritten history")
    assert "can no longer be changed" in response.content.decode()
    past.refresh_from_db()
    assert past.topic == before


def test_complete_a_started_meeting(world, client_for, facilitator):
    past = MeetingFactory(group=world.group, starts_at=timezone.now() - datetime.timedelta(hours=2))
    response = client_for(facilitator).post(
        reverse("meetings:complete", args=[past.pk]), follow=True
    )
    assert "marked as having taken place" in response.content.decode()
    past.refresh_from_db()
    assert past.status == Meeting.Status.COMPLETED


# --- cancelling -------------------------------------------------------------------------
def test_cancel_tells_active_members_without_naming_the_group(
    world, client_for, facilitator, smtp_sink, django_capture_on_commit_callbacks
):
    other = MembershipFactory(group=world.group).user
    other.discreet_mode = True
    other.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(facilitator).post(
            reverse("meetings:cancel", args=[world.meeting.pk]),
            {"reason": "The room is flooded."},
            follow=True,
        )
    assert "The meeting is cancelled." in response.content.decode()
    assert "The room is flooded." in response.content.decode()
    # Active members and facilitators of the group: member, facilitator, other.
    messages = smtp_sink.wait_for(3)
    recipients = {str(m["To"]) for m in messages}
    assert world.users["member"].email in recipients
    assert other.email in recipients
    assert world.users["on_break"].email not in recipients
    assert world.users["pending"].email not in recipients
    for message in messages:
        assert message["Subject"] == "A meeting you follow was cancelled"
        assert "The room is flooded." in body_text(message)
    discreet = smtp_sink.to(other.email)[0]
    assert world.group.name not in body_text(discreet)
    member_mail = smtp_sink.to(world.users["member"].email)[0]
    assert world.group.name in body_text(member_mail)


def test_cancellation_email_task_sends_once(world, smtp_sink, django_capture_on_commit_callbacks):
    from sessions.services.meetings import meeting_cancel
    from sessions.tasks import send_meeting_cancelled

    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=world.meeting, by=world.users["facilitator"], reason="Ill")
    smtp_sink.wait_for(2)
    assert send_meeting_cancelled.delay(world.meeting.pk).get() == 0
    assert len(smtp_sink.messages) == 2


def test_cancel_without_a_reason_is_refused(world, client_for, facilitator):
    response = client_for(facilitator).post(
        reverse("meetings:cancel", args=[world.meeting.pk]), {"reason": "  "}
    )
    assert response.status_code == 200
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.SCHEDULED


@pytest.mark.parametrize("role", ["member", "on_break", "outsider"])
def test_only_who_runs_the_group_can_cancel(world, client_for, role):
    response = client_for(world.users[role]).post(
        reverse("meetings:cancel", args=[world.meeting.pk]), {"reason": "No"}
    )
    assert response.status_code == 404
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.SCHEDULED


def test_edit_form_starts_from_the_meetings_current_values(world, client_for, facilitator):
    client = client_for(facilitator)
    meeting = world.meeting
    meeting.topic, meeting.place, meeting.capacity = "Sleep", "Room 4, Quay St", 7
    meeting.online_capacity, meeting.format = 3, "hybrid"
    meeting.online_link, meeting.facilitator = "https://meet.example.org/x", facilitator
    meeting.save()
    page = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    fields = form_as_rendered(page, containing="start_time")
    local = meeting.starts_at.astimezone(LONDON)
    assert fields["date"] == local.date().isoformat()
    assert fields["start_time"] == local.strftime("%H:%M")
    assert fields["end_time"] == meeting.ends_at.astimezone(LONDON).strftime("%H:%M")
    assert fields["topic"] == "Sleep"
    assert fields["place"] == "Room 4, Quay St"
    assert (fields["capacity"], fields["online_capacity"]) == ("7", "3")
    assert fields["format"] == "hybrid"
    assert fields["online_link"] == "https://meet.example.org/x"
    assert fields["facilitator"] == str(facilitator.pk)


def test_edit_changing_only_the_time_keeps_everything_else(world, client_for, facilitator):
    client = client_for(facilitator)
    meeting = world.meeting
    meeting.capacity, meeting.format, meeting.topic = 7, "online", "Sleep"
    meeting.save()
    page = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    fields = form_as_rendered(page, containing="start_time")
    start = (meeting.starts_at.astimezone(LONDON) + datetime.timedelta(minutes=30)).time()
    fields["start_time"] = start.strftime("%H:%M")
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), fields, follow=True)
    assert "The meeting is updated." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at.astimezone(LONDON).time() == start
    assert (meeting.capacity, meeting.format, meeting.topic) == (7, "online", "Sleep")


def test_meeting_is_open_agrees_with_the_open_queryset(world):
    """'Scheduled and not started' is one rule, as a property and as a filter."""
    now, timedelta = timezone.now(), datetime.timedelta
    meetings = [
        MeetingFactory(group=world.group, starts_at=now + timedelta(days=1)),
        MeetingFactory(group=world.group, starts_at=now - timedelta(minutes=5)),
        MeetingFactory(group=world.group, starts_at=now + timedelta(days=2), status="cancelled"),
        MeetingFactory(group=world.group, starts_at=now - timedelta(days=2), status="completed"),
    ]
    open_ids = set(Meeting.objects.open().values_list("pk", flat=True))
    assert [m.is_open for m in meetings] == [True, False, False, False]
    assert {m.pk for m in meetings if m.is_open} == open_ids & {m.pk for m in meetings}
