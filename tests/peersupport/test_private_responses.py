"""Cache-Control: nothing shown to a signed-in person, or reached with a private token,
is kept by the browser or a shared cache (shared and library computers)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.access import load_matrix

MATRIX = load_matrix()
PRIVATE = "private, no-store"
SIGNED_IN = ["member", "facilitator", "organizer"]


def _url(row, world):
    url = reverse(row.name, args=row.args(world) if row.args else None)
    return f"{url}?{row.query}" if row.query else url


# allauth's own templates (account and two-step pages) have undefined variables we do not own.
@pytest.mark.ignore_template_errors
def test_every_page_answers_a_signed_in_person_with_no_store(world, client):
    missing = []
    # Some rows' arguments create their object: build each address once.
    urls = [_url(row, world) for row in MATRIX.rows.values() if row.method == "get"]
    for role in SIGNED_IN:
        client.force_login(world.users[role])
        for url in urls:
            response = client.get(url)
            if response.get("Cache-Control") != PRIVATE:
                got = response.get("Cache-Control")
                missing.append(f"{role} {url} {response.status_code}: {got}")
        client.logout()
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(
    "name", ["meetings:feed", "members:unsubscribe", "meetings:statement", "meetings:rsvp_link"]
)
def test_pages_behind_a_private_token_are_no_store_for_visitors(name, world, client):
    row = MATRIX.rows[name]
    response = client.get(_url(row, world))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_public_pages_stay_cacheable_for_visitors(world, client):
    response = client.get(reverse("groups:directory"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
