"""A visitor, in Chromium, by clicking from the home page: finds a group that fits and,
from its page, the crisis resources. Nothing is typed into the address bar after the
home page (`Clicks`), and each task has a click budget.

The journey runs in each language the site speaks: the browser asks for it, every name
it looks for comes from that language's catalogue (`Words`), and each page it checks
with axe must also fit a 320-pixel-wide screen."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, PeerGroupFactory
from tests.fixtures.browser import axe_check, fits_narrow_screen
from tests.journeys.support import LANGUAGES, Clicks, Words, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_finds_a_group_and_the_crisis_resources(page, language):
    say = Words(language)
    organisation = OrganisationFactory(
        name="Harbour Peer Network", crisis_resources="Harbour helpline: 0800 000 111, any hour."
    )
    PeerGroupFactory(organisation=organisation, name="Night Shift Circle", topics=["ptsd"])
    PeerGroupFactory(organisation=organisation, name="Leeds Anxiety Circle", topics=["anxiety"])
    clicks = Clicks(page)
    clicks.open_home()
    assert page.evaluate("document.documentElement.lang") == language
    page.get_by_role("heading", name=say("Peer support groups, run with care")).wait_for()
    screenshots(page, f"visitor-home-{language}")

    with clicks.task("find a group that fits", budget=4):
        clicks.link(say("Find a group"), within=page.get_by_role("main"))
        page.get_by_role("heading", name=say("Find a peer support group"), level=1).wait_for()
        # Exact: in Spanish the search form itself is "Buscar un grupo".
        page.get_by_label(say("Search"), exact=True).fill("night shift")
        clicks.button(say("Search"))
        found = say.plural("%(counter)s group found", "%(counter)s groups found", 1, counter=1)
        page.get_by_text(found).wait_for()
        clicks.link("Night Shift Circle")
        page.get_by_role("heading", name="Night Shift Circle", level=1).wait_for()
    screenshots(page, f"group-page-{language}")
    axe_check(page)
    fits_narrow_screen(page)

    with clicks.task("find help right now", budget=2):
        clicks.link(say("Crisis resources"), exact=True)
        page.get_by_role("heading", name=say("Crisis resources"), level=1).wait_for()
    # Coming from the group's page, the organisation's own helpline is shown.
    page.get_by_text("Harbour helpline: 0800 000 111").wait_for()
    axe_check(page)
    fits_narrow_screen(page)
