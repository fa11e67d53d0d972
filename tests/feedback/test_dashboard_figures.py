"""The dashboards' per-meeting sums (MeetingFigure): the page shows what the raw answers
say, before and after the surveys are sealed and summed (issue 10 item 9, issue 13)."""

from __future__ import annotations

import random

import pytest
from django.http import QueryDict
from django.utils import timezone

from feedback.dashboard import figures
from feedback.dashboard.report import organisation_dashboard
from feedback.dashboard.selectors import BANDS
from feedback.models import CheckinReceipt, CheckinResponse, MeetingFigure
from feedback.services import question_set_current
from feedback.tasks import seal_closed_checkins
from tests.factories import OrganisationFactory, PeerGroupFactory
from tests.feedback.dashboard_data import held, people_in

KEYS = ["heard", "mattered", "method", "overall"]


def _answered(group, people, *, days_ago: int, rng: random.Random):
    """A held meeting where everyone answered, each with their own ratings and moods
    (some skip a question, as the form allows)."""
    meeting = held(group, people, days_ago=days_ago, answers=0)
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
    return meeting


def _from_raw_rows(group_ids) -> dict:
    """What the page must show, worked out here from every answer row, one by one."""
    rows = list(CheckinResponse.objects.filter(meeting__group_id__in=group_ids))
    result = {
        "answers": len(rows),
        "before": round(sum(r.mood_before for r in rows) / len(rows), 1),
        "after": round(sum(r.mood_after for r in rows) / len(rows), 1),
    }
    for key in KEYS:
        given = [r.ratings[key] for r in rows if key in r.ratings]
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


def test_the_page_shows_what_the_raw_answers_say_before_and_after_sealing(org_with_a_year):
    org, groups = org_with_a_year
    expected = _from_raw_rows([g.pk for g in groups])
    before_sealing = _shown(org)
    assert not MeetingFigure.objects.exists()
    assert {k: before_sealing[k] for k in expected} == expected

    # The daily task seals the closed surveys and sums them in one go.
    assert seal_closed_checkins() == expected["answers"]
    assert not CheckinResponse.objects.filter(sealed=False).exists()
    assert MeetingFigure.objects.filter(key=MeetingFigure.MOOD_BEFORE).count() == 12
    assert figures.due() == []
    after_sealing = _shown(org)
    # Every figure of the page, per month and per group included, is unchanged.
    assert after_sealing == before_sealing


def test_sealed_and_unsealed_answers_are_counted_once_each(org_with_a_year):
    org, groups = org_with_a_year
    expected = _from_raw_rows([g.pk for g in groups])
    seal_closed_checkins()
    # A new meeting, not sealed yet: its answers are read raw, the others from the sums.
    people = people_in(groups[0], 6)
    _answered(groups[0], people, days_ago=1, rng=random.Random(3))
    shown = _shown(org)
    assert shown["answers"] == expected["answers"] + 6
    assert {k: shown[k] for k in expected} == _from_raw_rows([g.pk for g in groups])


def test_refresh_is_safe_to_rerun_and_notices_answers_sealed_without_sums(org_with_a_year):
    _org, _groups = org_with_a_year
    seal_closed_checkins()
    figures_before = sorted(
        MeetingFigure.objects.values_list("meeting", "key", "answered", "total")
    )
    # Sealed answers whose sums went missing (e.g. written by hand) are found and summed.
    MeetingFigure.objects.filter(meeting=MeetingFigure.objects.first().meeting_id).delete()
    assert len(figures.due()) == 1
    assert figures.refresh() == 1
    assert figures.refresh() == 0
    assert sorted(MeetingFigure.objects.values_list("meeting", "key", "answered", "total")) == (
        figures_before
    )


def test_answers_from_fewer_than_five_people_at_every_meeting_stay_withheld(db):
    """The different people behind a total are counted from the busiest meeting: three
    people at each of four meetings may be the same three, so nothing is shown."""
    org = OrganisationFactory()
    group = PeerGroupFactory(organisation=org)
    rng = random.Random(4)
    for days_ago in (10, 20, 30, 40):
        _answered(group, people_in(group, 3), days_ago=days_ago, rng=rng)
    seal_closed_checkins()
    shown = _shown(org)
    assert shown["answers"] is None and shown["before"] is None
    assert all(shown[k] is None for k in KEYS)
    # One meeting with five answering is enough to show the year's totals.
    _answered(group, people_in(group, 5), days_ago=5, rng=rng)
    assert _shown(org)["answers"] == 17


def test_checkin_summary_and_review_results_follow_the_threshold_setting(db, settings):
    """The feedback pages use the dashboards' one threshold, not a number of their own."""
    import datetime

    from feedback.models import GoalReview, GoalReviewResponse
    from feedback.selectors import checkin_summary, review_results

    group = PeerGroupFactory()
    meeting = held(group, people_in(group, 3), days_ago=10)
    review = GoalReview.objects.create(
        group=group,
        opened_on=datetime.date.today(),
        closes_on=datetime.date.today() + datetime.timedelta(days=7),
        objectives=["Feel less alone", "Learn from each other"],
    )
    GoalReviewResponse.objects.bulk_create(
        [
            GoalReviewResponse(review=review, verdicts=v, discussions=d, activities=4)
            for v, d in ((["yes", "no"], 4), (["yes", "change"], 5), (["no"], 3))
        ]
    )
    settings.SMALL_NUMBER_THRESHOLD = 5
    assert checkin_summary(meetings=[meeting]) == {"enough": False, "count": 3}
    assert review_results(review) == {"enough": False, "count": 3}
    settings.SMALL_NUMBER_THRESHOLD = 3
    summary = checkin_summary(meetings=[meeting])
    assert summary["ratings"] == {"heard": 8.0, "mattered": 7.0, "method": 6.0, "overall": 9.0}
    assert (summary["count"], summary["mood_before"], summary["mood_after"]) == (3, 2.0, 4.0)
    results = review_results(review)
    assert results["objectives"][0] == {"text": "Feel less alone", "yes": 2, "no": 1, "change": 0}
    assert results["objectives"][1] == {
        "text": "Learn from each other",
        "yes": 0,
        "no": 1,
        "change": 1,
    }
    assert (results["count"], results["discussions"], results["activities"]) == (3, 4.0, 4.0)
