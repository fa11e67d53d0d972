"""The bare benchmark view exists only when BENCH=1 (settings.BENCH)."""

from __future__ import annotations

import importlib

from django.test import override_settings
from django.urls import clear_url_caches

import peersupport.urls
from tests.support import max_queries


def test_bench_bare_view_is_not_served_normally(client, db):
    assert client.get("/bench/bare/").status_code == 404


def test_bench_bare_view_with_bench_on_answers_without_a_session(client, db):
    try:
        with override_settings(BENCH=True):
            clear_url_caches()
            importlib.reload(peersupport.urls)
            with max_queries(0):
                response = client.get("/bench/bare/")
    finally:
        clear_url_caches()
        importlib.reload(peersupport.urls)
    assert response.status_code == 200
    assert b"ok" in response.content
    assert "sessionid" not in response.cookies
    assert client.get("/bench/bare/").status_code == 404
