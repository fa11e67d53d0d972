"""No two dashboard views can be subtracted to single anyone out: the attack, enumerated.

On a seeded organisation (a big hybrid group, an in-person group, a small online group of
three, meetings of every format with 1 to 9 answers each, a lone online attendee, members
on a break, goals, suggestions, a review), every view an organizer can ask for (each set
of ticked groups, each format, topic, period and custom date range) and every view the
big group's facilitator can ask for is computed, before and after new answers arrive.
Then, as an attacker would, every pair of views where one covers the other (its groups,
meetings and dates include the other's: subtracting them describes the people in the
difference) and every view before and after is compared: no count of people may differ
by 1 to threshold-1. The views are the dashboards' reports, which the page, the CSV and
the printable report all draw (the CSV is checked to say the same). The headline's and
the small multiples' counts are among them, and so are the views a dashboard shows
inside its own: the period before (the headline's comparison) and each month of its
sparklines, each with the span it covers.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools

import pytest
from django.http import QueryDict
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.dashboard.report import group_dashboard, organisation_dashboard
from feedback.models import GoalReview, GoalReviewResponse, PersonalGoal, Suggestion
from sessions.models import Attendance
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
)
from tests.feedback.dashboard_data import close_months, held, past_meeting, people_in

pytestmark = pytest.mark.django_db
T = 5
FORMATS = ["", "in_person", "online", "hybrid"]


@pytest.fixture
def seeded(settings):
    settings.SMALL_NUMBER_THRESHOLD = T
    settings.DASHBOARD_CACHE_SECONDS = 600
    org = OrganisationFactory(slug="differencing")
    big = PeerGroupFactory(organisation=org, name="Big", format="hybrid", topics=["anxiety"])
    mid = PeerGroupFactory(organisation=org, name="Mid", format="in_person", topics=["grief"])
    small = PeerGroupFactory(organisation=org, name="Small", format="online", topics=["anxiety"])
    crowd = people_in(big, 9, joined_days_ago=200)
    people_in(big, 2, joined_days_ago=40, status="on_break")
    five = people_in(mid, 7, joined_days_ago=150)
    three = people_in(small, 3, joined_days_ago=20)
    for days_ago, fmt, answers in ((15, "hybrid", 9), (45, "online", 6), (75, "in_person", 4)):
        held(big, crowd, days_ago=days_ago, answers=answers, fmt=fmt)
    held(big, crowd[:1], days_ago=10, answers=1, fmt="online")  # one person, alone
    held(big, crowd[:7], days_ago=100, answers=7, fmt="hybrid")
    for days_ago, answers in ((20, 7), (50, 5), (80, 3)):
        held(mid, five, days_ago=days_ago, answers=answers)
    held(small, three, days_ago=25, answers=3)
    held(small, three[:2], days_ago=55, answers=2)
    for i, person in enumerate(crowd[:6] + three):
        PersonalGoal.objects.create(
            owner=person,
            title="private",
            measure="private",
            target_date=datetime.date.today(),
            achieved_on=datetime.date.today() if i % 2 else None,
        )
    for i in range(6):
        Suggestion.objects.create(group=big, kind="topic", text=f"idea {i}")
    Suggestion.objects.create(group=small, kind="topic", text="lonely idea")
    review = GoalReview.objects.create(
        group=big,
        opened_on=timezone.localdate() - datetime.timedelta(days=40),
        closes_on=timezone.localdate() - datetime.timedelta(days=19),
        objectives=["Feel less alone"],
        released=True,
    )
    GoalReviewResponse.objects.bulk_create(
        [
            GoalReviewResponse(review=review, verdicts=["yes"], discussions=4, activities=4)
            for _ in range(6)
        ]
    )
    close_months()
    return org, (big, mid, small), crowd


def _periods() -> list[str]:
    today = timezone.localdate()

    def days(n: int) -> str:
        return (today - datetime.timedelta(days=n)).isoformat()

    return [
        "period=12m",
        "period=3m",
        "period=all",
        f"from={days(30)}&to={days(0)}",
        f"from={days(31)}&to={days(11)}",
        f"from={days(60)}&to={days(9)}",
    ]


def _span(f) -> tuple[datetime.date, datetime.date]:
    return f.start, f.end


def _counts(report: dict) -> dict[tuple, int]:
    """Every shown count of people (or of answers, each from one person) in a report."""
    found: dict[tuple, int] = {}

    def put(key, figure):
        if figure.shown:
            found[key] = figure.value

    for name in ("members", "active", "new", "on_break"):
        put(("participation", name), report["participation"][name])
    put(("answers",), report["checkin_totals"]["answers"])
    put(("suggestions",), report["suggestions"]["total"])
    put(("goal people",), report["goals"]["people"])
    for r in report["per_meeting"]:
        put(("meeting", r["label"], r["group"], "going"), r["going"])
        put(("meeting", r["label"], r["group"], "came"), r["present"])
    for r in report["reviews"]:
        put(("review", r["review"].pk), r["answers"])
    for r in report["comparison"]:
        put(("compare", r["group"].pk, "members"), r["members"])
        put(("compare", r["group"].pk, "new"), r["new"])
    # The headline's and the small multiples' counts of people: the same figures the
    # view shows elsewhere (checked equal, so comparing them covers them too).
    headline = {i["key"]: i for i in report["headline"]["items"]}
    put(("participation", "members"), headline["members"]["now"])
    assert headline["members"]["now"] == report["participation"]["members"]
    if report["multiples"]:
        for r in report["multiples"]["groups"]:
            put(("compare", r["group"].pk, "members"), r["members"])
    return found


def _more_views(f, report: dict) -> list[tuple[dict, dict]]:
    """The other views a dashboard shows inside its own: the period before (the headline's
    comparison) and each month of the sparklines, each with the span it covers."""
    found = []
    headline = report["headline"]
    before = headline["previous"]

    # Always one entry per view (empty when withheld), so views before and after new
    # answers line up one to one.
    def counts(figure) -> dict:
        return {("participation", "members"): figure.value} if figure.shown else {}

    if before is not None:
        found.append(
            (
                {"groups": frozenset(f.group_ids), "format": f.format, "span": _span(before)},
                counts(headline["members_before"]),
            )
        )
    for month, members in zip(headline["months"], headline["monthly_members"], strict=True):
        end = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        span = (month, end - datetime.timedelta(days=1))
        found.append(
            ({"groups": frozenset(f.group_ids), "format": f.format, "span": span}, counts(members))
        )
    return found


def _views(org, groups, big, *, subsets=None) -> list[tuple[dict, dict]]:
    """(what the view covers, its counts) for every view an organizer or the big group's
    facilitator can ask for (`subsets`: only these sets of ticked groups)."""
    views = []
    subsets = subsets or [
        list(c) for n in range(1, len(groups) + 1) for c in itertools.combinations(groups, n)
    ]
    # A topic chooses groups (the ticked ones with that topic): asked with all groups;
    # the sets of groups it can leave are among the ticked subsets.
    asked = [(chosen, "") for chosen in subsets] + [(groups, "anxiety")]
    for (chosen, topic), fmt, period in itertools.product(asked, FORMATS, _periods()):
        query = "&".join(
            [f"group={g.pk}" for g in chosen] + [f"format={fmt}", period, f"topic={topic}"]
        )
        dashboard = organisation_dashboard(org, QueryDict(query))
        views.append((_cover(dashboard.filters), _counts(dashboard.report)))
        views += _more_views(dashboard.filters, dashboard.report)
    for fmt, period in itertools.product(FORMATS, _periods()):
        dashboard = group_dashboard(big, QueryDict(f"format={fmt}&{period}"))
        views.append((_cover(dashboard.filters), _counts(dashboard.report)))
        views += _more_views(dashboard.filters, dashboard.report)
    return views


def _cover(f) -> dict:
    return {"groups": frozenset(f.group_ids), "format": f.format, "span": _span(f)}


def _covers(outer: dict, inner: dict) -> bool:
    """Whether `outer` takes in everything `inner` does (so outer minus inner describes
    the people of the difference)."""
    return (
        inner["groups"] <= outer["groups"]
        and outer["format"] in ("", inner["format"])
        and outer["span"][0] <= inner["span"][0]
        and inner["span"][1] <= outer["span"][1]
    )


def _small_differences(pairs) -> list:
    found = []
    for (cover_a, a), (cover_b, b) in pairs:
        for key in a.keys() & b.keys():
            if 0 < abs(a[key] - b[key]) < T:
                found.append((key, a[key], b[key], cover_a, cover_b))
    return found


def test_no_two_views_differ_by_fewer_than_the_threshold(seeded):
    org, groups, crowd = seeded
    big, _mid, small = groups
    before = _views(org, groups, big)
    assert len(before) > 200
    # The attack has something to work on: figures are shown, and some views differ.
    assert any(counts for _cover, counts in before)
    assert len({tuple(sorted(c.items())) for _cover, c in before}) > 10
    nested = [
        (a, b) for a, b in itertools.permutations(before, 2) if _covers(a[0], b[0]) and a != b
    ]
    assert len(nested) > 1000
    assert _small_differences(nested) == []
    # The small group's three members never show, alone or by subtraction.
    for cover, counts in before:
        if cover["groups"] == frozenset([small.pk]):
            assert counts == {}, counts

    all_groups_before = _views(org, groups, big, subsets=[list(groups)])
    # New answers arrive: nothing changes while their survey is open ...
    meeting = past_meeting(big, days_ago=1, fmt="online")
    for person in crowd[:6]:
        Attendance.objects.create(meeting=meeting, user=person, status="present")
        services.checkin_submit(
            meeting=meeting,
            member=person,
            version=1,
            ratings={"heard": 1, "mattered": 1, "method": 1, "overall": 1},
            mood_before=1,
            mood_after=1,
        )
    lonely = past_meeting(small, days_ago=1)
    newcomer = MembershipFactory(group=small).user
    Attendance.objects.create(meeting=lonely, user=newcomer, status="present")
    services.checkin_submit(
        meeting=lonely,
        member=newcomer,
        version=1,
        ratings={"heard": 1, "mattered": 1, "method": 1, "overall": 1},
        mood_before=1,
        mood_after=1,
    )
    # (Every format, period and topic over all groups, and the facilitator's views.)
    assert _views(org, groups, big, subsets=[list(groups)]) == all_groups_before
    # ... and once released they change by whole meetings only.
    assert services.checkin_release(meeting_id=meeting.pk) == 6
    assert services.checkin_release(meeting_id=lonely.pk) == 1
    after = _views(org, groups, big)
    assert [c for _cover, c in after] != [c for _cover, c in before]
    assert _small_differences(zip(before, after, strict=True)) == []
    nested = [(a, b) for a, b in itertools.permutations(after, 2) if _covers(a[0], b[0]) and a != b]
    assert _small_differences(nested) == []


@override_settings(SMALL_NUMBER_THRESHOLD=T)
def test_the_csv_says_what_the_page_says(client, seeded):
    org, (big, _mid, small), _crowd = seeded
    organizer = UserFactory()
    add_organizer(organizer, org)
    client.force_login(organizer)
    for query in ("", f"group={big.pk}&format=online", f"group={small.pk}", "period=3m"):
        page = client.get(reverse("feedback:org_dashboard", args=[org.slug]) + "?" + query)
        report = page.context["report"]
        exported = client.get(reverse("feedback:org_dashboard_csv", args=[org.slug]) + "?" + query)
        rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
        shown = {r["measure"]: r["value"] for r in rows if r["section"] == "participation"}
        p = report["participation"]
        assert shown["members"] == p["members"].csv
        assert shown["new members"] == p["new"].csv
        left = [r for r in rows if r["measure"].startswith("meetings left out")]
        assert left[0]["value"] == str(report["left_out"]["meetings"])
        assert f"{report['left_out']['meetings']} meeting" in page.content.decode()
