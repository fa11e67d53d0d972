"""The dashboards' per-meeting sums (MeetingFigure): the page shows what the raw answers
of the released meetings say, whole meetings of five answers or more only."""

from __future__ import annotations

import random

import pytest
from django.http import QueryDict
from django.utils import timezone

from feedback import services
from feedback.dashboard import figures
from feedback.dashboard.report import organisation_dashboard
from feedback.dashboard.selectors import BANDS
from feedback.models import CheckinReceipt, CheckinResponse, MeetingFigure
from feedback.services import question_set_current
from sessions.models import Attendance
from tests.factories import OrganisationFactory, PeerGroupFactory
from tests.feedback.dashboard_data import past_meeting, people_in

KEYS = ["heard", "mattered", "method", "overall"]


def _answered(group, people, *, days_ago: int, rng: random.Random):
    """A released meeting where everyone answered, each with their own ratings and moods
    (some skip a question, as the form allows)."""
    meeting = past_meeting(group, days_ago=days_ago)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user=u, status="present") for u in people]
    )
    CheckinReceipt.objects.bulk_create([CheckinReceipt(meeting=meeting, member=u) for u in people])
    question_set = question_set_current(organisation=group.organisation_id)
    CheckinResponse.objects.bulk_create(
        [
            CheckinResponse(
                meeting=meeting,
                question_set=question_set,
                meeting_date=timezone.localtime(meeting.starts_at).date(),
                ratings={k: rng.randint(0, 10) for k in KEYS if rng.random() > 0.1},
                mood_before=rng.randint(1, 5),
                mood_after=rng.randint(1, 5),
            )
            for _ in people
        ]
    )
    services.checkin_release(meeting_id=meeting.pk)
    return meeting


def _from_raw_rows(group_ids) -> dict:
    """What the page must show, worked out here from every answer row, one by one: the
    meetings with at least five answers, and of those each question five of them rated."""
    by_meeting: dict[int, list] = {}
    for r in CheckinResponse.objects.filter(meeting__group_id__in=group_ids):
        by_meeting.setdefault(r.meeting_id, []).append(r)
    rows = [r for found in by_meeting.values() if len(found) >= 5 for r in found]
    result = {
        "answers": len(rows),
        "before": round(sum(r.mood_before for r in rows) / len(rows), 1),
        "after": round(sum(r.mood_after for r in rows) / len(rows), 1),
    }
    for key in KEYS:
        given = [
            r.ratings[key]
            for found in by_meeting.values()
            if len(found) >= 5 and sum(key in r.ratings for r in found) >= 5
            for r in found
            if key in r.ratings
        ]
        result[key] = round(sum(given) / len(given), 1)
        result[f"{key} bands"] = [
            f"{round(100 * sum(low <= v <= high for v in given) / len(given))}%"
            for low, high in BANDS
        ]
    return result


def _shown(org) -> dict:
    report = organisation_dashboard(org, QueryDict("period=12m")).report
    totals = report["checkin_totals"]
    shown = {
        "answers": totals["answers"].value,
        "before": totals["before"].value,
        "after": totals["after"].value,
        "months": [
            (m["label"], m["before"].value, m["after"].value, [q.value for q in m["questions"]])
            for m in report["checkins_by_month"]
        ],
        "groups": [
            (r["group"].pk, r["rating"].value, r["before"].value, r["after"].value)
            for r in report["comparison"]
        ],
    }
    for key, q in zip(KEYS, totals["questions"], strict=True):
        shown[key] = q["average"].value
        shown[f"{key} bands"] = [str(b["share"]) for b in q["bands"]]
    return shown


@pytest.fixture
def org_with_a_year(db):
    """Two groups, six meetings each over five months, 7 to 9 people answering."""
    rng = random.Random(10)
    org = OrganisationFactory()
    groups = [PeerGroupFactory(organisation=org) for _ in range(2)]
    for group in groups:
        people = people_in(group, rng.randint(7, 9), joined_days_ago=200)
        for days_ago in (12, 30, 45, 70, 100, 150):
            _answered(group, people, days_ago=days_ago, rng=rng)
    return org, groups


def test_the_page_shows_what_the_raw_answers_of_released_meetings_say(org_with_a_year):
    org, groups = org_with_a_year
    expected = _from_raw_rows([g.pk for g in groups])
    assert MeetingFigure.objects.filter(key=MeetingFigure.MOOD_BEFORE).count() == 12
    shown = _shown(org)
    assert {k: shown[k] for k in expected} == expected


def test_answers_of_an_open_survey_show_only_once_it_is_released_whole(org_with_a_year):
    org, groups = org_with_a_year
    before = _shown(org)
    meeting = past_meeting(groups[0], days_ago=1)
    for person in people_in(groups[0], 6):
        Attendance.objects.create(meeting=meeting, user=person, status="present")
        services.checkin_submit(
            meeting=meeting,
            member=person,
            version=1,
            ratings=dict.fromkeys(KEYS, 3),
            mood_before=1,
            mood_after=5,
        )
        assert _shown(org) == before  # nothing moves while the survey is open
    assert services.checkin_release(meeting_id=meeting.pk) == 6
    shown = _shown(org)
    assert shown["answers"] == before["answers"] + 6
    expected = _from_raw_rows([g.pk for g in groups])
    assert {k: shown[k] for k in expected} == expected


def test_refresh_is_safe_to_rerun(org_with_a_year):
    figures_before = sorted(
        MeetingFigure.objects.values_list("meeting", "key", "answered", "total")
    )
    meeting_id = MeetingFigure.objects.first().meeting_id
    MeetingFigure.objects.filter(meeting=meeting_id).delete()
    assert figures.refresh([meeting_id]) == 1
    assert figures.refresh([meeting_id]) == 1
    assert sorted(MeetingFigure.objects.values_list("meeting", "key", "answered", "total")) == (
        figures_before
    )


def test_meetings_with_fewer_than_five_answers_are_left_out_whole(db):
    """Three people at each of four meetings: every one of those meetings is left out (the
    page says so), however many answers they add up to; a meeting of five counts alone."""
    org = OrganisationFactory()
    group = PeerGroupFactory(organisation=org)
    rng = random.Random(4)
    for days_ago in (10, 20, 30, 40):
        _answered(group, people_in(group, 3), days_ago=days_ago, rng=rng)
    shown = _shown(org)
    assert shown["answers"] is None and shown["before"] is None
    assert all(shown[k] is None for k in KEYS)
    report = organisation_dashboard(org, QueryDict("period=12m")).report
    assert report["left_out"]["meetings"] == 4
    _answered(group, people_in(group, 5), days_ago=5, rng=rng)
    assert _shown(org)["answers"] == 5


def test_review_results_follow_the_threshold_setting(db, settings):
    """The feedback pages use the dashboards' one threshold, not a number of their own."""
    import datetime

    from feedback.models import GoalReview, GoalReviewResponse
    from feedback.selectors import review_results

    group = PeerGroupFactory()
    review = GoalReview.objects.create(
        group=group,
        opened_on=datetime.date.today(),
        closes_on=datetime.date.today() + datetime.timedelta(days=7),
        objectives=["Feel less alone", "Learn from each other"],
        released=True,
    )
    GoalReviewResponse.objects.bulk_create(
        [
            GoalReviewResponse(review=review, verdicts=v, discussions=d, activities=4)
            for v, d in ((["yes", "no"], 4), (["yes", "change"], 5), (["no"], 3))
        ]
    )
    settings.SMALL_NUMBER_THRESHOLD = 5
    assert review_results(review) == {"enough": False, "count": 3}
    settings.SMALL_NUMBER_THRESHOLD = 3
    results = review_results(review)
    assert results["objectives"][0] == {"text": "Feel less alone", "yes": 2, "no": 1, "change": 0}
    assert results["objectives"][1] == {
        "text": "Learn from each other",
        "yes": 0,
        "no": 1,
        "change": 1,
    }
    assert (results["count"], results["discussions"], results["activities"]) == (3, 4.0, 4.0)
