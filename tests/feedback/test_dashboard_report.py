"""The printable report for funders and boards: the organisation's name, the period, the
small-number note, the headline and the sections chosen (unfolded), a print stylesheet
of our own; the same permission as the dashboard; its queries do not grow with the data."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
)
from tests.feedback.dashboard_data import close_months, held, people_in
from tests.support import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    org = OrganisationFactory(name="Harbour Network", slug="harbour")
    group = PeerGroupFactory(organisation=org, name="Lighthouse Circle")
    people = people_in(group, 6, joined_days_ago=200)
    for days_ago in (15, 45, 75):
        held(group, people, days_ago=days_ago)
    small = PeerGroupFactory(organisation=org, name="Quay Circle")
    held(small, people_in(small, 3), days_ago=15)
    close_months()
    return org


@pytest.fixture
def organizer(client, org):
    user = UserFactory()
    add_organizer(user, org)
    client.force_login(user)
    return user


def test_the_report_has_the_name_period_note_headline_and_every_section(client, org, organizer):
    page = client.get(reverse("feedback:org_dashboard_report", args=[org.slug]) + "?period=3m")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Harbour Network" in html
    assert "Report on our peer support groups" in html
    assert "nobody can be singled out" in html
    assert "Prepared on" in html
    f = page.context["filters"]
    assert f.period == "3m"
    assert "At a glance" in html and "Members taking part" in html
    # Every section by default, unfolded so that it prints.
    for section in ("participation", "perception", "goals"):
        assert re.search(rf'<details[^>]*id="details-{section}"[^>]*open', html), section
    assert "Groups side by side" in html and "Lighthouse Circle" in html
    # The group under the threshold is named once, without figures.
    assert html.count("Quay Circle") == 1  # listed below the charts (no filter form here)
    # No waiting work in a report for funders, and our own print stylesheet.
    assert "Needs attention" not in html
    assert 'href="/static/css/print.css" media="print"' in html
    # Back to the same view of the dashboard.
    assert reverse("feedback:org_dashboard", args=[org.slug]) + "?period=3m" in html


def test_the_sections_chosen_are_the_ones_printed(client, org, organizer):
    url = reverse("feedback:org_dashboard_report", args=[org.slug])
    html = client.get(url + "?section=goals&section=nonsense").content.decode()
    assert 'id="details-goals"' in html
    assert 'id="details-participation"' not in html
    assert 'id="details-perception"' not in html
    assert "multiples" not in html
    assert "At a glance" in html  # the headline always


def test_a_facilitator_prints_their_groups_report_and_others_cannot(client, org):
    group = org.groups.get(name="Lighthouse Circle")
    facilitator = MembershipFactory(group=group, role="facilitator").user
    client.force_login(facilitator)
    url = reverse("feedback:group_dashboard_report", args=[group.slug])
    html = client.get(url).content.decode()
    assert "Report: Lighthouse Circle" in html and "Harbour Network" in html
    client.force_login(UserFactory())
    assert client.get(url).status_code in (403, 404)
    assert client.get(reverse("feedback:org_dashboard_report", args=[org.slug])).status_code in (
        403,
        404,
    )


def test_the_print_stylesheet_is_ours_and_hides_the_menus():
    path = finders.find("css/print.css")
    assert path
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert "@page" in text and ".site-header" in text and ".no-print" in text
    assert "http" not in text and "@import" not in text  # no outside asset
    assert settings.STATIC_URL


def test_the_report_queries_do_not_grow_with_the_data(client, org, organizer):
    group = org.groups.get(name="Lighthouse Circle")
    url = reverse("feedback:org_dashboard_report", args=[org.slug])

    def grow():
        for days_ago in (105, 135):
            held(group, people_in(group, 6, joined_days_ago=300), days_ago=days_ago)
        close_months()

    assert_constant_queries(lambda: client.get(url), grow, limit=30)
