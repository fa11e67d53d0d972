"""Security hardening: headers on every page, production cookie settings, clean logs."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.access import load_matrix

pytestmark = pytest.mark.django_db

MATRIX = load_matrix()
HEADERS = (
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "Referrer-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
)


# Pages made to be shown in a frame on partners' sites (the embeddable meeting finder):
# their CSP names who may frame them, instead of X-Frame-Options: DENY.
FRAMABLE = {"finders:embed"}


def _problems(response, url: str, *, framable: bool = False) -> list[str]:
    expected = [name for name in HEADERS if not (framable and name == "X-Frame-Options")]
    problems = [f"{url}: no {name}" for name in expected if name not in response.headers]
    csp = response.headers.get("Content-Security-Policy", "")
    script_src = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
    if "unsafe-inline" in script_src or "unsafe-inline" in csp.split("script-src")[0]:
        problems.append(f"{url}: CSP allows inline scripts")
    if framable:
        if "frame-ancestors" not in csp or "script-src" in csp:
            problems.append(f"{url}: a framable page must name its ancestors and run no script")
    elif response.headers.get("X-Frame-Options", "").upper() != "DENY":
        problems.append(f"{url}: frames not denied")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: no nosniff")
    return problems


@pytest.mark.ignore_template_errors  # allauth's MFA templates; the matrix checks ours
@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_SSL_REDIRECT=False)
def test_every_page_of_the_access_matrix_sends_the_security_headers(world):
    # Some rows build their object when asked for args: ask once per row.
    urls = [
        (reverse(row.name, args=row.args(world) if row.args else None), row.name in FRAMABLE)
        for row in MATRIX.rows.values()
        if row.method == "get"
    ]
    problems = []
    for role in ("anonymous", "member", "organizer"):
        client = Client()  # built after the override, so its middleware sees HSTS on
        if role != "anonymous":
            client.force_login(world.users[role])
        for url, framable in urls:
            response = client.get(url, secure=True)
            problems += _problems(response, f"{role} {url}", framable=framable)
    assert not problems, "\n".join(problems[:30])


PRODUCTION_ENV = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "peers.example.org",
    "SITE_URL": "https://peers.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587",
    "DJANGO_SETTINGS_MODULE": "peersupport.settings",
}


def test_production_settings_secure_the_session_cookie_and_send_hsts():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT]))"
    )
    env = {**os.environ, **PRODUCTION_ENV}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    secure, httponly, csrf_secure, hsts, redirect = json.loads(out.stdout.strip().splitlines()[-1])
    assert secure and httponly and csrf_secure and redirect
    assert hsts >= 31_536_000


def _console_handler() -> logging.StreamHandler:
    return next(h for h in logging.getLogger().handlers if h.get_name() == "console")


def test_the_real_request_log_holds_no_tokens_or_emails(world, client_for):
    handler = _console_handler()
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        client = client_for(world.users["member"])
        client.get("/join/very-secret-invitation-token/")
        client.get("/groups/zeb.q@example.org/")
        client.get("/me/notifications/unsubscribe/abc123secretvalue/?token=t0ps3cret")
    finally:
        handler.setStream(old)

    log = buffer.getvalue()
    assert "Not Found" in log  # the requests really were logged
    for secret in ("very-secret-invitation-token", "zeb.q@example.org", "abc123secretvalue"):
        assert secret not in log
    assert "t0ps3cret" not in log
