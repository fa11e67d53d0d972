import pytest

from tests.finders.support import FeedServer, build_finder_world


@pytest.fixture
def finder_world(db):
    return build_finder_world()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.stop()
