"""An organizer opens the dashboard in Chromium, filters to one group, downloads the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
)
from tests.feedback.dashboard_data import close_months, held, people_in
from tests.fixtures.browser import axe_check, sign_in

pytestmark = pytest.mark.browser


def test_organizer_filters_the_dashboard_to_one_group_and_downloads_its_csv(page, transactional_db):
    org = OrganisationFactory(name="Harbour Network", slug="harbour")
    lighthouse = PeerGroupFactory(organisation=org, name="Lighthouse Circle")
    quay = PeerGroupFactory(organisation=org, name="Quay Circle")
    people = people_in(lighthouse, 6, joined_days_ago=200)
    for days_ago in (15, 45, 75):
        held(lighthouse, people, days_ago=days_ago)
    held(quay, people_in(quay, 3), days_ago=15)
    close_months()
    organizer = UserFactory(email="olivia@harbour.test")
    add_organizer(organizer, org)

    sign_in(page, organizer.email, PASSWORD)
    page.goto(reverse("feedback:org_dashboard", args=[org.slug]))
    page.get_by_role("heading", name="Groups side by side", exact=True).wait_for()
    axe_check(page)

    page.locator(".dashboard-filters > summary").click()  # the filters are folded
    page.get_by_label("Lighthouse Circle", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert f"group={lighthouse.pk}" in page.url
    compare = page.locator(
        "section", has=page.get_by_role("heading", name="Groups side by side", exact=True)
    )
    assert "Lighthouse Circle" in compare.inner_text()
    assert "Quay Circle" not in compare.inner_text()
    assert page.get_by_label("Lighthouse Circle", exact=True).is_checked()
    # The per-month details are folded until asked for.
    page.locator("#details-participation > summary").click()
    page.locator("#details-participation").get_by_role(
        "img", name="Attendance rate by month"
    ).wait_for()
    axe_check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename.startswith("dashboard-")
    with open(download.value.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    values = {(r["section"], r["group"], r["measure"]): r["value"] for r in rows}
    assert values[("participation", "all selected groups", "members")] == "5"  # steps of 5
    assert values[("comparison", "Lighthouse Circle", "mood after")] == "4.0"
    assert not any(r["group"] == "Quay Circle" for r in rows)
