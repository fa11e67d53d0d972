"""Recurrence in the group's local time: DST gaps and overlaps, n-th weekdays, ends, window."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from sessions.models import Meeting, MeetingSeries
from sessions.services.recurrence import (
    WINDOW_WEEKS,
    local_to_aware,
    series_dates,
    series_extend_due,
    series_materialise,
)
from sessions.tasks import extend_meeting_series
from tests.factories import PeerGroupFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC
D = datetime.date
T = datetime.time


def series(**kw) -> MeetingSeries:
    """An unsaved series: enough for the pure date arithmetic."""
    defaults = {
        "frequency": MeetingSeries.Frequency.WEEKLY,
        "weekday": 3,
        "start_date": D(2027, 3, 4),
        "start_time": T(18, 30),
        "time_zone": "Europe/London",
        "duration_minutes": 90,
    }
    return MeetingSeries(**{**defaults, **kw})


def local_times(s: MeetingSeries, days: list[datetime.date]) -> list[datetime.datetime]:
    return [local_to_aware(day, s.start_time, s.time_zone) for day in days]


# --- one local time -> an aware moment -------------------------------------------------
def test_local_to_aware_in_london_spring_gap_moves_forward_by_the_gap():
    # 2027-03-28: clocks go from 01:00 GMT to 02:00 BST; 01:30 does not exist.
    moment = local_to_aware(D(2027, 3, 28), T(1, 30), "Europe/London")
    assert moment.astimezone(LONDON).time() == T(2, 30)
    assert moment.astimezone(UTC) == datetime.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_local_to_aware_in_new_york_spring_gap_at_0230_becomes_0330():
    moment = local_to_aware(D(2027, 3, 14), T(2, 30), "America/New_York")
    assert moment.astimezone(NEW_YORK).time() == T(3, 30)
    assert moment.astimezone(UTC) == datetime.datetime(2027, 3, 14, 7, 30, tzinfo=UTC)


def test_local_to_aware_in_london_fall_back_overlap_picks_the_first():
    # 2027-10-31: 01:30 happens twice (BST then GMT); we take the first, in BST.
    moment = local_to_aware(D(2027, 10, 31), T(1, 30), "Europe/London")
    assert moment.astimezone(UTC) == datetime.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_local_to_aware_in_new_york_fall_back_overlap_picks_the_first():
    moment = local_to_aware(D(2027, 11, 7), T(1, 30), "America/New_York")
    assert moment.astimezone(UTC) == datetime.datetime(2027, 11, 7, 5, 30, tzinfo=UTC)


# --- series dates across daylight saving ----------------------------------------------
def test_weekly_series_in_london_keeps_1830_across_the_spring_change():
    s = series(start_date=D(2027, 3, 18), count=3)
    days = series_dates(s, start=s.start_date, end=D(2027, 12, 31))
    assert days == [D(2027, 3, 18), D(2027, 3, 25), D(2027, 4, 1)]
    moments = local_times(s, days)
    assert {m.astimezone(LONDON).time() for m in moments} == {T(18, 30)}
    assert [m.astimezone(UTC).hour for m in moments] == [18, 18, 17]


def test_weekly_series_in_new_york_keeps_1830_across_the_autumn_change():
    s = series(
        weekday=1, start_date=D(2027, 10, 26), time_zone="America/New_York", until=D(2027, 11, 9)
    )
    days = series_dates(s, start=s.start_date, end=D(2027, 12, 31))
    assert days == [D(2027, 10, 26), D(2027, 11, 2), D(2027, 11, 9)]
    moments = local_times(s, days)
    assert {m.astimezone(NEW_YORK).time() for m in moments} == {T(18, 30)}
    # US clocks go back on 7 November 2027.
    assert [m.astimezone(UTC).hour for m in moments] == [22, 22, 23]


def test_weekly_series_starting_on_another_weekday_begins_on_the_next_matching_day():
    s = series(weekday=3, start_date=D(2027, 3, 1), count=2)  # a Monday; meets Thursdays
    s.weekday = 3
    assert series_dates(s, start=s.start_date, end=D(2027, 12, 31)) == [
        D(2027, 3, 4),
        D(2027, 3, 11),
    ]


def test_biweekly_series_skips_every_other_week():
    s = series(frequency=MeetingSeries.Frequency.BIWEEKLY, count=3)
    assert series_dates(s, start=s.start_date, end=D(2027, 12, 31)) == [
        D(2027, 3, 4),
        D(2027, 3, 18),
        D(2027, 4, 1),
    ]


def test_monthly_fifth_monday_skips_months_without_one():
    s = series(
        frequency=MeetingSeries.Frequency.MONTHLY,
        weekday=0,
        nth=5,
        start_date=D(2027, 1, 1),
        until=D(2027, 12, 31),
    )
    days = series_dates(s, start=s.start_date, end=D(2027, 12, 31))
    assert days == [D(2027, 3, 29), D(2027, 5, 31), D(2027, 8, 30), D(2027, 11, 29)]


def test_monthly_last_friday_lands_on_the_last_one_whatever_the_month_length():
    s = series(
        frequency=MeetingSeries.Frequency.MONTHLY,
        weekday=4,
        nth=-1,
        start_date=D(2027, 1, 1),
        count=4,
    )
    days = series_dates(s, start=s.start_date, end=D(2027, 12, 31))
    assert days == [D(2027, 1, 29), D(2027, 2, 26), D(2027, 3, 26), D(2027, 4, 30)]


def test_monthly_second_tuesday():
    s = series(
        frequency=MeetingSeries.Frequency.MONTHLY,
        weekday=1,
        nth=2,
        start_date=D(2027, 1, 1),
        count=3,
    )
    assert series_dates(s, start=s.start_date, end=D(2027, 12, 31)) == [
        D(2027, 1, 12),
        D(2027, 2, 9),
        D(2027, 3, 9),
    ]


def test_until_is_included_and_count_counts_from_the_first_meeting():
    by_until = series(until=D(2027, 3, 18))
    assert series_dates(by_until, start=by_until.start_date, end=D(2027, 12, 31)) == [
        D(2027, 3, 4),
        D(2027, 3, 11),
        D(2027, 3, 18),
    ]
    by_count = series(count=5)
    # Asking from a later date still respects the count of the whole series.
    assert series_dates(by_count, start=D(2027, 3, 20), end=D(2027, 12, 31)) == [
        D(2027, 3, 25),
        D(2027, 4, 1),
    ]


# --- materialising real rows ----------------------------------------------------------
@pytest.fixture
def saved_series(db):
    group = PeerGroupFactory(time_zone="Europe/London", capacity=9, format="hybrid")
    return MeetingSeries.objects.create(
        group=group,
        frequency=MeetingSeries.Frequency.WEEKLY,
        weekday=3,
        start_date=D(2027, 3, 4),
        start_time=T(18, 30),
        time_zone="Europe/London",
        duration_minutes=90,
        until=D(2028, 3, 2),
        topic="Check-in",
    )


def test_series_materialise_creates_the_window_only_and_keeps_local_time(saved_series):
    today = D(2027, 3, 1)
    created = series_materialise(series=saved_series, today=today)
    horizon = today + datetime.timedelta(weeks=WINDOW_WEEKS)
    assert len(created) == 12
    assert max(m.series_date for m in created) <= horizon
    meetings = Meeting.objects.filter(series=saved_series)
    assert {m.starts_at.astimezone(LONDON).time() for m in meetings} == {T(18, 30)}
    assert {m.capacity for m in meetings} == {9}
    assert {m.topic for m in meetings} == {"Check-in"}
    assert all(m.duration_minutes == 90 for m in meetings)


def test_series_materialise_again_creates_nothing(saved_series):
    today = D(2027, 3, 1)
    series_materialise(series=saved_series, today=today)
    assert series_materialise(series=saved_series, today=today) == []
    assert Meeting.objects.filter(series=saved_series).count() == 12


def test_a_moved_or_cancelled_occurrence_is_not_made_again(saved_series):
    today = D(2027, 3, 1)
    first, second = series_materialise(series=saved_series, today=today)[:2]
    first.starts_at += datetime.timedelta(days=1)
    first.ends_at += datetime.timedelta(days=1)
    first.detached = True
    first.save()
    second.status = Meeting.Status.CANCELLED
    second.save()
    assert series_materialise(series=saved_series, today=today) == []
    assert Meeting.objects.filter(series=saved_series).count() == 12


def test_series_extend_due_moves_the_window_on_and_a_rerun_does_nothing(saved_series):
    series_materialise(series=saved_series, today=D(2027, 3, 1))
    later = D(2027, 4, 1)
    created = series_extend_due(today=later)
    assert created > 0
    assert series_extend_due(today=later) == 0
    last = Meeting.objects.filter(series=saved_series).order_by("-series_date").first()
    assert last.series_date <= later + datetime.timedelta(weeks=WINDOW_WEEKS)
    saved_series.refresh_from_db()
    assert saved_series.materialised_until == later + datetime.timedelta(weeks=WINDOW_WEEKS)


def test_series_extend_due_stops_at_the_end_of_the_series(saved_series):
    saved_series.until = D(2027, 3, 25)
    saved_series.save()
    series_extend_due(today=D(2027, 3, 1))
    assert list(
        Meeting.objects.filter(series=saved_series).values_list("series_date", flat=True)
    ) == [D(2027, 3, 4), D(2027, 3, 11), D(2027, 3, 18), D(2027, 3, 25)]


def test_extend_task_materialises_due_series_now(saved_series):
    # The periodic task uses today's date: a series starting next week gets its meetings.
    soon = datetime.date.today() + datetime.timedelta(days=7)
    saved_series.start_date = soon
    saved_series.weekday = soon.weekday()
    saved_series.until = soon + datetime.timedelta(weeks=2)
    saved_series.save()
    assert extend_meeting_series.delay().get() == 3
    assert Meeting.objects.filter(series=saved_series).count() == 3


def test_new_occurrences_start_from_the_groups_default_agenda(saved_series):
    meeting = series_materialise(series=saved_series, today=D(2027, 3, 1))[0]
    assert meeting.agenda_items.count() > 0
