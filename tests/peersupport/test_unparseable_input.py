"""Input no page can use (NUL bytes, invalid UTF-8, overlong values) is a 400 or the page
with a message, never a server error."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/groups/?q=%00",
        "/crisis/?org=%00",
        "/meetings/feed/%00/meetings.ics",
        "/join/%00/",
        "/groups/?q%00=x",
        "/groups/?q=" + "x" * 20_000,
        "/join/" + "x" * 3000 + "/",
    ],
)
def test_nul_bytes_and_overlong_values_are_a_400(url, db, client):
    response = client.get(url)
    assert response.status_code == 400
    assert "Something in that request was not right" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/groups/?q=%FF%FE",
        "/crisis/?org=%C3%28",
        "/meetings/feed/%FF/meetings.ics",
        "/join/%ED%A0%80/",
        "/groups/%FF/",
    ],
)
def test_invalid_utf8_is_never_a_server_error(url, db, client):
    response = client.get(url)
    assert response.status_code < 500


def test_signed_in_nul_is_a_400_too(member, client):
    client.force_login(member)
    response = client.get("/me/groups/?page=%00")
    assert response.status_code == 400
