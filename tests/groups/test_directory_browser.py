"""In Chromium: a visitor filters the directory and opens a group; both pages pass axe."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import OrganisationFactory, PeerGroupFactory
from tests.fixtures.browser import axe_check

pytestmark = pytest.mark.browser


def test_visitor_filters_the_directory_and_opens_a_group(page, transactional_db):
    organisation = OrganisationFactory(name="Harbour Peer Network")
    PeerGroupFactory(
        organisation=organisation,
        name="Men Talking Online",
        format="online",
        city="",
        topics=["men", "grief"],
        meeting_day=1,
        meeting_time=datetime.time(20),
        join_policy="open",
    )
    PeerGroupFactory(organisation=organisation, name="Leeds Anxiety Circle", format="in_person")
    PeerGroupFactory(organisation=organisation, name="Hidden Circle", visibility="unlisted")

    page.goto("/")
    page.get_by_role("link", name="Find a group").first.click()
    page.get_by_role("heading", name="Find a peer support group", level=1).wait_for()
    assert page.get_by_text("2 groups found").is_visible()
    axe_check(page)

    page.get_by_label("Town, city or online").select_option("online")
    page.get_by_label("Time of day").select_option("evening")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 group found").wait_for()
    assert page.get_by_role("link", name="Leeds Anxiety Circle").count() == 0
    axe_check(page)

    page.get_by_role("link", name="Men Talking Online").click()
    page.get_by_role("heading", name="Men Talking Online", level=1).wait_for()
    assert page.get_by_role("link", name="Join this group").is_visible()
    assert page.get_by_role("heading", name="Peer support is not a substitute").is_visible()
    assert "meet.jit.si" not in page.content()
    axe_check(page)
