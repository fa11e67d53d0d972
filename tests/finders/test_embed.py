"""The finder partners embed: the feed's groups only, no cookie, framable, axe clean."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.finders.support import SECRETS, build_finder_world
from tests.fixtures.browser import axe_check

EMBED = reverse("finders:embed", args=["harbour-finder"])


@pytest.mark.django_db
def test_embed_lists_listed_groups_and_nothing_private(client, finder_world):
    response = client.get(EMBED)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thursday Listening Circle" in body
    assert f'href="http://testserver{finder_world.listed.get_absolute_url()}"' in body or (
        finder_world.listed.get_absolute_url() in body
    )
    for secret in SECRETS:
        assert secret not in body


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_embed_sets_no_cookie_and_may_be_framed(client, finder_world, member_of_world, signed_in):
    if signed_in:
        client.force_login(member_of_world)
    response = client.get(EMBED)
    assert response.status_code == 200
    assert not response.cookies and "Set-Cookie" not in response
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    # The rest of the site still refuses to be framed.
    directory = client.get(reverse("groups:directory"))
    assert directory["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in directory["Content-Security-Policy"]


@pytest.mark.django_db
def test_embed_of_an_unknown_organisation_is_404(client):
    assert client.get(reverse("finders:embed", args=["nobody"])).status_code == 404


@pytest.fixture
def member_of_world(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.mark.browser
def test_embedded_finder_passes_axe_in_chromium(page, transactional_db):
    build_finder_world()
    page.goto(EMBED)
    page.get_by_role("heading", name="Peer support groups of Harbour Finder Network").wait_for()
    assert page.get_by_role("link", name="Thursday Listening Circle").count() == 1
    axe_check(page)
    assert page.context.cookies() == []
