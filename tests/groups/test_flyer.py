"""The printable flyer: what a facilitator pins on a notice board or sends to a partner."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from groups.models import PeerGroup
from tests.factories import PeerGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_flyer_shows_the_public_facts_a_qr_code_and_the_link_but_never_the_place(client):
    group = PeerGroupFactory(
        name="Harbour first responders",
        place="Room 4, 12 Quay Street",
        online_link="https://meet.example.org/secret-room",
    )
    response = client.get(reverse("groups:flyer", args=[group.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Harbour first responders" in html
    assert re.search(r'<svg class="flyer-qr" aria-hidden="true"[^>]*>.*<path', html, re.S)
    # The full address is printed under the code, for those who cannot scan it.
    assert f">{settings.SITE_URL}{group.get_absolute_url()}</a>" in html
    assert "Quay Street" not in html and "secret-room" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_landing_page_links_to_its_flyer(client):
    group = PeerGroupFactory()
    page = client.get(group.get_absolute_url()).content.decode()
    assert reverse("groups:flyer", args=[group.slug]) in page


def test_a_private_groups_flyer_is_not_found_for_outsiders(client):
    group = PeerGroupFactory(visibility=PeerGroup.Visibility.PRIVATE)
    client.force_login(UserFactory())
    assert client.get(reverse("groups:flyer", args=[group.slug])).status_code == 404
