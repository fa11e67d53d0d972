"""The crisis page shows the organisation's own resources when it knows the organisation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources(world):
    world.organisation.crisis_resources = "Harbour night line: 0800 111 222"
    world.organisation.save()
    return world.organisation


def test_with_the_organisation_named_its_helplines_are_shown(resources, client):
    text = client.get("/crisis/?org=harbour-test").content.decode()

    assert "Harbour night line: 0800 111 222" in text
    assert "call your local emergency number" in text


def test_coming_from_a_group_page_shows_that_organisations_helplines(resources, client):
    response = client.get("/crisis/", HTTP_REFERER="http://testserver/groups/harbour-circle/")

    assert "Harbour night line" in response.content.decode()


def test_without_an_organisation_the_defaults_are_shown(resources, client):
    text = client.get("/crisis/?org=nope").content.decode()

    assert "Harbour night line" not in text
    assert "call your local emergency number" in text
    assert "Samaritans" in text
