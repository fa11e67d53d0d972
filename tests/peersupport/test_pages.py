"""Layout, security headers, health check, error pages, logging."""

import logging

import pytest
from django.urls import reverse

from peersupport.logging import RedactSensitiveFilter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["home", "crisis", "account_login", "account_signup"]


@pytest.mark.ignore_template_errors
@pytest.mark.parametrize("name", PAGES)
def test_every_page_links_crisis_resources_and_states_the_care_limit(client, name):
    html = client.get(reverse(name)).content.decode()
    assert f'href="{reverse("crisis")}"' in html
    assert "Peer support is not a substitute for professional care." in html
    assert 'href="#main"' in html  # skip link
    assert html.count("<h1") == 1


@pytest.mark.ignore_template_errors
@pytest.mark.parametrize("name", PAGES)
def test_security_headers_on_every_page(client, name):
    response = client.get(reverse(name))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_navigation_changes_when_signed_in(client):
    assert "Sign in" in client.get("/").content.decode()
    client.force_login(UserFactory(display_name="Robin"))
    html = client.get("/").content.decode()
    assert "Welcome, Robin" in html
    assert "Sign out" in html and "Sign in<" not in html
    assert "Admin" not in html


def test_healthz_reports_each_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_unknown_page_gets_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_visitor_time_zone_cookie_is_used_and_bad_values_ignored(client):
    client.cookies["tz"] = "America%2FNew_York"
    assert client.get("/").status_code == 200
    client.cookies["tz"] = "<script>"
    assert client.get("/").status_code == 200


def test_logs_never_carry_tokens_or_email_addresses(caplog):
    logger = logging.getLogger("peersupport.test")
    logger.addFilter(RedactSensitiveFilter())
    with caplog.at_level(logging.INFO):
        logger.info("GET /feed/?token=%s for %s", "s3cr3t-abc", "maya@example.org")
    assert "s3cr3t-abc" not in caplog.text
    assert "maya@example.org" not in caplog.text
    assert "token=[redacted]" in caplog.text


@pytest.mark.parametrize(
    "path",
    [
        "/join/s3cr3t-abc/",
        "/meetings/rsvp/s3cr3t-abc/",
        "/meetings/feed/s3cr3t-abc/meetings.ics",
        "/me/notifications/unsubscribe/s3cr3t-abc/",
        "/meetings/attendance/record/s3cr3t-abc/",
    ],
)
def test_path_tokens_are_masked_in_logs(caplog, path):
    logger = logging.getLogger("peersupport.test")
    logger.addFilter(RedactSensitiveFilter())
    with caplog.at_level(logging.WARNING):
        logger.warning("Forbidden (CSRF cookie not set.): %s", path)
    assert "s3cr3t-abc" not in caplog.text
    assert "[redacted]" in caplog.text


def test_with_debug_on_a_missing_or_private_page_shows_our_page_not_the_url_list(
    client, client_for, world, settings
):
    settings.DEBUG = True
    for response in (
        client.get("/no-such-page/"),
        client_for(world.users["outsider"]).get(f"/groups/{world.group.slug}/inside/"),
    ):
        html = response.content.decode()
        assert response.status_code == 404
        assert "We could not find that page" in html
        assert "URLconf" not in html and "slug:slug" not in html


def test_every_page_turns_off_htmx_injected_styles_refused_by_the_csp(client):
    html = client.get("/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


def test_dates_are_written_one_way_on_pages(client_for, world):
    import datetime

    from django.template import Context, Template

    from groups.models import Membership

    day = datetime.date(2027, 1, 15)
    rendered = Template('{{ d }}|{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}')
    assert rendered.render(Context({"d": day})) == "15 January 2027|15 January 2027|15 Jan 2027"
    Membership.objects.filter(user=world.users["on_break"]).update(break_until=day)
    html = client_for(world.users["on_break"]).get(reverse("groups:mine")).content.decode()
    assert "15 January 2027" in html
    assert "Jan. 15, 2027" not in html and "2027-01-15" not in html
