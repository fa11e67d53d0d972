"""A visitor, in Chromium, by clicking from the home page: finds a group that fits and,
from its page, the crisis resources. Nothing is typed into the address bar after the
home page (`Clicks`), and each task has a click budget."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, PeerGroupFactory
from tests.fixtures.browser import axe_check
from tests.journeys.support import Clicks, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_finds_a_group_and_the_crisis_resources(page):
    organisation = OrganisationFactory(
        name="Harbour Peer Network", crisis_resources="Harbour helpline: 0800 000 111, any hour."
    )
    PeerGroupFactory(organisation=organisation, name="Night Shift Circle", topics=["ptsd"])
    PeerGroupFactory(organisation=organisation, name="Leeds Anxiety Circle", topics=["anxiety"])
    clicks = Clicks(page)
    clicks.open_home()
    page.get_by_role("heading", name="Peer support groups, run with care").wait_for()
    screenshots(page, "visitor-home")

    with clicks.task("find a group that fits", budget=4):
        clicks.link("Find a group", within=page.get_by_role("main"))
        page.get_by_role("heading", name="Find a peer support group", level=1).wait_for()
        page.get_by_label("Search").fill("night shift")
        clicks.button("Search")
        page.get_by_text("1 group found").wait_for()
        clicks.link("Night Shift Circle")
        page.get_by_role("heading", name="Night Shift Circle", level=1).wait_for()
    screenshots(page, "group-page")
    axe_check(page)

    with clicks.task("find help right now", budget=2):
        clicks.link("Crisis resources", exact=True)
        page.get_by_role("heading", name="Crisis resources", level=1).wait_for()
    # Coming from the group's page, the organisation's own helpline is shown.
    page.get_by_text("Harbour helpline: 0800 000 111").wait_for()
    axe_check(page)
