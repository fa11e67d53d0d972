"""In Chromium: a visitor filters the directory by access and sees nearby groups from
another organisation's feed, marked as run by others; the page passes axe."""

from __future__ import annotations

import pytest

from finders import services
from finders.demo import SAMPLE_FEED
from finders.models import FeedSource
from tests.factories import OrganisationFactory, PeerGroupFactory
from tests.fixtures.browser import axe_check

pytestmark = pytest.mark.browser


def test_visitor_filters_by_access_and_sees_nearby_groups(page, transactional_db):
    organisation = OrganisationFactory(name="Harbour Peer Network")
    PeerGroupFactory(
        organisation=organisation, name="Step Free Circle", access_features=["step_free"]
    )
    PeerGroupFactory(organisation=organisation, name="Upstairs Circle")
    source = FeedSource.objects.create(
        organisation=organisation, name="Solent Peer Support", url="https://solent.example.org/f"
    )
    services.feed_import(source=source, raw=SAMPLE_FEED.read_bytes())

    page.goto("/")
    page.get_by_role("link", name="Find a group").first.click()
    page.get_by_role("heading", name="Nearby groups from Solent Peer Support").wait_for()
    assert page.get_by_text("Run by Solent Peer Support, not by us").is_visible()
    axe_check(page)

    page.get_by_label("Step-free access").check()
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 group found").wait_for()
    assert page.get_by_role("link", name="Upstairs Circle").count() == 0
    # Nearby groups are filtered too: the sample's step-free ones stay (code X).
    assert page.get_by_role("link", name="Carers Together").count() == 1
    assert page.get_by_role("link", name="Grupo de apoyo en español").count() == 0
    axe_check(page)
