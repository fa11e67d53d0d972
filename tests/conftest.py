"""Fixtures every test can use: roles, a real SMTP sink, a real Celery worker, a real browser."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API keeps an event loop in the test thread; Django refuses ORM calls
# there unless told that this is deliberate (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.fixtures.mail", "tests.fixtures.worker", "tests.fixtures.browser"]

_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def pytest_collection_modifyitems(config, items):
    """Every test that commits for real restores the database as migrations left it.

    A transactional test ends with a flush. Without serialized rollback that flush loses
    the rows data migrations wrote (built-in agenda templates, the site) and re-creates
    content types, which then collide with the next serialized test's restore
    ("duplicate key ... django_content_type"), so results depended on test order. Making
    the rule uniform removes the order: each such test restores the same snapshot.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        transactional = kwargs.get("transaction") or _TRANSACTIONAL_FIXTURES & set(
            getattr(item, "fixturenames", ())
        )
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


CACHE_SETTINGS = (
    "PUBLIC_CACHE_SECONDS",
    "ROW_CACHE_SECONDS",
    "FEED_CACHE_SECONDS",
    "DASHBOARD_CACHE_SECONDS",
)


@pytest.fixture(autouse=True)
def _cache_off(request, settings):
    """`@pytest.mark.cache_off("ROW_CACHE_SECONDS", ...)`: this test sees the uncached path.

    The suite runs every cache on, as production does; a test that is about what happens
    without one (the cold path of a query budget, say) says so itself, for itself only.
    """
    marker = request.node.get_closest_marker("cache_off")
    if marker is None:
        return
    unknown = set(marker.args) - set(CACHE_SETTINGS)
    assert marker.args and not unknown, f"cache_off takes some of {CACHE_SETTINGS}"
    for name in marker.args:
        setattr(settings, name, 0)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Content type ids may differ after the database was flushed and restored: forget the
    ids an earlier test cached (the worker does the same, see peersupport/celery.py)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, used TOTP codes, version tokens).

    Only this run's keys are deleted (its private KEY_PREFIX, see settings_test.py), never
    the whole Redis, which other runs and the Celery broker share. The prefix itself stays
    the same all run long, so the real worker, the live server's threads and the test
    share one cache, as production's processes do.
    """
    from tests.support import cache_empty

    cache_empty()


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


@pytest.fixture
def outsider(world):
    return world.users["outsider"]


@pytest.fixture
def member(world):
    return world.users["member"]


@pytest.fixture
def facilitator(world):
    return world.users["facilitator"]


@pytest.fixture
def organizer(world):
    return world.users["organizer"]


@pytest.fixture
def staff(world):
    return world.users["staff"]


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client signed in as `user` (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def pytest_sessionstart(session):
    """Compile the translation catalogues as `make test` does, for a bare `pytest` too."""
    from django.core.management import call_command

    call_command("compile_catalogues", verbosity=0)
