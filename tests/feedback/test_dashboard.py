"""Feedback dashboards (issue 10): figures, the small-number rule, filters and the CSV."""

from __future__ import annotations

import csv
import datetime
import html
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from feedback.dashboard.filters import filters_from
from feedback.dashboard.protection import Protected
from feedback.dashboard.report import dashboard_report
from feedback.models import PersonalGoal
from groups.models import AuditEntry
from tests.factories import OrganisationFactory, PeerGroupFactory, UserFactory, add_organizer
from tests.feedback.dashboard_data import close_months, held, people_in

NOT_ENOUGH = "not enough responses yet"
TOO_FEW_PEOPLE = "too few people to show"


@pytest.fixture
def org(db):
    return OrganisationFactory(slug="harbour")


@pytest.fixture
def organizer(org):
    user = UserFactory()
    add_organizer(user, org)
    return user


def figures(value):
    """Every Protected figure anywhere in a report."""
    if isinstance(value, Protected):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "charts":
                yield from figures(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from figures(item)


def report_for(group_or_groups, query: str = ""):
    from django.http import QueryDict

    groups = group_or_groups if isinstance(group_or_groups, list) else [group_or_groups]
    f, _form, problems = filters_from(QueryDict(query), groups=groups, topics=["anxiety"])
    report = dashboard_report(f, organisation_ids=[groups[0].organisation_id], compare=True)
    return report, problems


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_dashboard_shows_the_groups_figures_when_enough_people_took_part(client, org, organizer):
    group = PeerGroupFactory(organisation=org, name="Lighthouse")
    people = people_in(group, 6)
    for days_ago in (10, 40, 70):
        held(group, people, days_ago=days_ago)
    close_months()
    client.force_login(organizer)
    response = client.get(reverse("feedback:group_dashboard", args=[group.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    report = response.context["report"]
    # A count of people at a moment comes in whole steps of the threshold (5).
    assert str(report["participation"]["members"]) == "5"
    # People who came, added up month by month: 6 in each of three months.
    assert str(report["participation"]["active"]) == "18"
    rates = [str(r["rate"]) for r in report["attendance_by_month"] if r["rate"].shown]
    assert rates == ["100%"] * 3
    assert str(report["checkin_totals"]["answers"]) == "18"
    assert str(report["checkin_totals"]["before"]) == "2.0"
    assert str(report["checkin_totals"]["after"]) == "4.0"
    overall = report["checkin_totals"]["questions"][-1]
    assert str(overall["average"]) == "9.0"
    assert [str(b["share"]) for b in overall["bands"]] == ["0%", "0%", "0%", "0%", "100%"]
    # Charts carry a title, an accessible name and the table follows them.
    assert 'role="img"' in page and "<table" in page
    assert "Attendance rate by month" in page


def test_every_figure_is_withheld_when_fewer_than_five_people_took_part(client, org, organizer):
    group = PeerGroupFactory(organisation=org)
    people = people_in(group, 4, joined_days_ago=120)
    PersonalGoal.objects.create(
        owner=people[0],
        title="Sleep before midnight",
        measure="five nights a week",
        target_date=datetime.date.today(),
        achieved_on=datetime.date.today(),
    )
    for days_ago in (10, 40):
        held(group, people, days_ago=days_ago)
    close_months()
    report, _problems = report_for(group)
    assert list(figures(report)), "the report has figures at all"
    assert [f for f in figures(report) if f.shown] == []
    client.force_login(organizer)
    url = reverse("feedback:group_dashboard", args=[group.slug])
    page = client.get(url).content.decode()
    assert NOT_ENOUGH in page
    assert "Sleep before midnight" not in page
    rows = csv_rows(client.get(reverse("feedback:group_dashboard_csv", args=[group.slug])))
    left_out = [r for r in rows if r["measure"].startswith("meetings left out")]
    assert [r["value"] for r in left_out] == ["2"]  # two meetings of four answers each
    rows = [r for r in rows if r not in left_out]
    assert rows and all(r["value"] == "" for r in rows)
    assert {r["note"] for r in rows} <= {NOT_ENOUGH, TOO_FEW_PEOPLE}
    assert "2 meetings of the period had fewer answers and were left out" in page


def test_filters_that_narrow_to_one_member_withhold_every_figure_about_them(client, org, organizer):
    big = PeerGroupFactory(organisation=org, format="hybrid", topics=["grief"])
    small = PeerGroupFactory(organisation=org, format="hybrid", topics=["anxiety"])
    held(big, people_in(big, 8), days_ago=20)
    alone = people_in(small, 6)
    held(small, alone, days_ago=20)
    # Only one person came to the small group's one online meeting, and answered.
    held(small, alone[:1], days_ago=5, fmt="online")
    close_months()
    client.force_login(organizer)
    url = reverse("feedback:org_dashboard", args=[org.slug])
    response = client.get(url, {"group": [small.pk], "format": "online", "topic": "anxiety"})
    report = response.context["report"]
    # The format chooses meetings: that one meeting has one answer, so it is left out of
    # every figure (and said so); nothing from it is shown.
    assert report["left_out"]["meetings"] == 1
    assert report["per_meeting"] == [] and report["checkins_by_month"] == []
    meeting_figures = [
        report["checkin_totals"],
        [row[k] for row in report["comparison"] for k in ("rating", "before", "after")],
    ]
    assert [str(f) for f in figures(meeting_figures) if f.shown] == []
    # Counts by group and month are the group's whole months, whatever the format: the
    # month with only that meeting (one person) is left out of them.
    months = {r["label"].month: r["rate"] for r in report["attendance_by_month"]}
    five_days_ago = (timezone.localdate() - datetime.timedelta(days=5)).month
    twenty_days_ago = (timezone.localdate() - datetime.timedelta(days=20)).month
    if five_days_ago != twenty_days_ago:
        assert not months[five_days_ago].shown
    rows = csv_rows(
        client.get(
            reverse("feedback:org_dashboard_csv", args=[org.slug]),
            {"group": [small.pk], "format": "online"},
        )
    )
    valued = {r["section"] for r in rows if r["value"] and not r["measure"].startswith("meet")}
    assert valued <= {"participation", "comparison", "attendance"}
    assert not any(r["value"] for r in rows if r["section"].startswith("check-in"))
    # Without the format filter the small group's other meeting (6 answers) counts.
    report, _ = report_for([small])
    assert report["checkin_totals"]["before"].shown


def test_threshold_is_a_setting(org):
    group = PeerGroupFactory(organisation=org)
    held(group, people_in(group, 4), days_ago=10)
    close_months()
    report, _ = report_for(group)
    assert not report["checkin_totals"]["after"].shown
    with override_settings(SMALL_NUMBER_THRESHOLD=3):
        report, _ = report_for(group)
        assert str(report["checkin_totals"]["after"]) == "4.0"
        assert str(report["participation"]["members"]) == "3"  # in steps of 3
    with override_settings(SMALL_NUMBER_THRESHOLD=10):
        group2 = PeerGroupFactory(organisation=org)
        held(group2, people_in(group2, 8), days_ago=10)
        close_months()
        report, _ = report_for(group2)
        assert [f for f in figures(report) if f.shown] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-45", "A date wasn't understood"),
        ("to=yesterday", "A date wasn't understood"),
        ("from=2026-05-01&to=2026-01-01", "The start date is after the end date"),
        ("period=decade", "That period isn't known"),
        ("format=zoom", "That meeting format isn't known"),
        ("topic=%3Cscript%3E", "That topic isn't one of this organisation's"),
        ("group=abc", "Some groups you asked for are not in this list"),
        ("group=99999999", "Some groups you asked for are not in this list"),
    ],
)
def test_invalid_query_strings_give_a_message_and_the_default_filter(
    client, org, organizer, query, message
):
    group = PeerGroupFactory(organisation=org)
    client.force_login(organizer)
    response = client.get(reverse("feedback:org_dashboard", args=[org.slug]) + "?" + query)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    f = response.context["filters"]
    assert f.group_ids == [group.pk] and f.format == "" and f.topic == ""
    assert (f.end - f.start).days == 365


@pytest.mark.parametrize(
    "query", ["to=9999-12-31", "from=0001-01-01&to=0001-01-02", "period=custom"]
)
def test_far_off_dates_are_clamped_not_an_error(client, org, organizer, query):
    PeerGroupFactory(organisation=org)
    client.force_login(organizer)
    response = client.get(reverse("feedback:org_dashboard", args=[org.slug]) + "?" + query)
    assert response.status_code == 200
    f = response.context["filters"]
    assert f.start.year >= 2000 and f.end <= timezone.localdate() + datetime.timedelta(days=366)


@override_settings(SMALL_NUMBER_THRESHOLD=5)
def test_the_threshold_boundary_five_is_shown_four_is_not():
    from feedback.dashboard.protection import count, guard, share

    assert (str(count(4)), str(count(5))) == (TOO_FEW_PEOPLE, "5")
    assert str(guard(7.25, 4)) == NOT_ENOUGH and str(guard(7.25, 5)) == "7.2"
    assert (str(share(2, 4)), str(share(2, 5))) == (NOT_ENOUGH, "40%")
    assert count(0).csv == "" and share(0, 0).csv == ""
    # A head count says it is about people; a figure from answers says answers.
    assert str(share(2, 4, people=True)) == TOO_FEW_PEOPLE


def test_a_group_of_another_organisation_is_ignored_and_never_shown(client, org, organizer):
    mine = PeerGroupFactory(organisation=org, name="Our Circle")
    theirs = PeerGroupFactory(name="Their Secret Circle")
    held(theirs, people_in(theirs, 7), days_ago=10)
    client.force_login(organizer)
    url = reverse("feedback:org_dashboard", args=[org.slug])
    response = client.get(url, {"group": [theirs.pk]})
    page = response.content.decode()
    assert "Some groups you asked for are not in this list" in page
    assert "Their Secret Circle" not in page
    assert response.context["filters"].group_ids == [mine.pk]
    assert response.context["report"]["per_meeting"] == []
    # The group page of another organisation's group: not found, for this organizer.
    assert client.get(reverse("feedback:group_dashboard", args=[theirs.slug])).status_code == 404


def test_an_empty_group_and_a_period_without_meetings_say_so(client, org, organizer):
    group = PeerGroupFactory(organisation=org)
    client.force_login(organizer)
    url = reverse("feedback:group_dashboard", args=[group.slug])
    page = client.get(url).content.decode()
    assert "No meetings in this period." in page
    assert "No check-in answers in this period." in page
    held(group, people_in(group, 6), days_ago=10)
    page = client.get(url, {"from": "2001-01-01", "to": "2001-03-31"}).content.decode()
    assert "No meetings in this period." in page
    assert "No attendance marked in this period." in page


def test_goals_and_on_break(client, org):
    group = PeerGroupFactory(organisation=org)
    people = people_in(group, 5, joined_days_ago=100)
    people_in(group, 5, status="on_break", joined_days_ago=200)
    held(group, people, days_ago=2)
    for i, person in enumerate(people):
        PersonalGoal.objects.create(
            owner=person,
            title="Private goal",
            measure="private",
            target_date=datetime.date.today(),
            achieved_on=datetime.date.today() if i < 3 else None,
        )
    close_months()
    report, _ = report_for(group)
    p = report["participation"]
    assert str(p["on_break"]) == "5"
    assert str(p["members"]) == "10"
    assert str(report["goals"]["achieved"]) == "60%"


def test_csv_export_is_aggregates_only_and_logged_with_its_filters(client, org, organizer):
    group = PeerGroupFactory(organisation=org, name="Men After Separation", topics=["anxiety"])
    held(group, people_in(group, 6), days_ago=10)
    close_months()
    client.force_login(organizer)
    url = reverse("feedback:org_dashboard_csv", args=[org.slug])
    response = client.get(url, {"group": [group.pk], "period": "3m", "topic": "anxiety"})
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert "Men" not in disposition and "harbour" not in disposition
    assert disposition.endswith(f'dashboard-{timezone.localdate().isoformat()}.csv"')
    rows = csv_rows(response)
    by_measure = {(r["section"], r["group"], r["measure"]): r["value"] for r in rows}
    assert by_measure[("participation", "all selected groups", "members")] == "5"
    assert by_measure[("comparison", "Men After Separation", "mood after")] == "4.0"
    entry = AuditEntry.objects.get(action="dashboard.export")
    assert entry.actor == organizer and entry.organisation == org
    assert entry.details["filters"]["groups"] == [group.pk]
    assert entry.details["filters"]["topic"] == "anxiety"


def test_dashboards_are_linked_for_who_may_open_them_only(client, world):
    group_dashboard = reverse("feedback:group_dashboard", args=[world.group.slug])
    org_dashboard = reverse("feedback:org_dashboard", args=[world.organisation.slug])
    inside = reverse("groups:inside", args=[world.group.slug])
    client.force_login(world.users["facilitator"])
    assert group_dashboard in client.get(inside).content.decode()
    client.force_login(world.users["member"])
    assert group_dashboard not in client.get(inside).content.decode()
    client.force_login(world.users["organizer"])
    organise = client.get(reverse("groups:organise")).content.decode()
    assert org_dashboard in organise
    detail = client.get(reverse("groups:organisation_detail", args=[world.organisation.slug]))
    assert org_dashboard in detail.content.decode()


def test_demo_data_draws_real_charts_and_shows_cuts_below_the_threshold(db):
    from django.core.management import call_command

    from groups.models import PeerGroup

    call_command("seed_demo", stdout=io.StringIO())
    circle = PeerGroup.objects.get(slug="first-responders-peer-circle")
    report, _ = report_for(circle)
    charts = report["charts"]
    assert all(charts[name] for name in ("per_meeting", "attendance", "ratings", "mood"))
    months = report["attendance_by_month"]
    assert all(m["rate"].shown for m in months)
    # Every headline figure shows, compared with the year before.
    assert all(i["now"].shown and i["before"].shown for i in report["headline"]["items"])
    # One group stays under the threshold: nothing of it shows.
    small, _ = report_for(PeerGroup.objects.get(slug="bereaved-parents-circle"))
    assert not small["checkin_totals"]["after"].shown
    assert not any(m["rate"].shown for m in small["attendance_by_month"])
    # One group falls: its attendance goes down, and needs attention says so.
    falling, _ = report_for(PeerGroup.objects.get(slug="night-shift-check-in"))
    trends = {i["key"]: i["trend"] for i in falling["headline"]["items"]}
    assert trends["attendance"] == "down"
    assert {"attendance", "heard"} <= {i["rule"] for i in falling["attention_units"]}
