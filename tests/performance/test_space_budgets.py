"""Query budgets of the group space: the board with one and fifty threads, a thread with
one and two hundred replies (no N+1), each under a fixed ceiling. Cold: the person's
cached rows (memberships, roles, agreements) and the bell's unread count read again;
warm: as most requests are."""

from __future__ import annotations

import pytest

from space.models import Post, Thread
from tests.feedback.dashboard_data import people_in
from tests.support import assert_constant_queries

pytestmark = pytest.mark.django_db


def _budget(client, url: str, grow, *, limit: int, warm: int, text: str) -> None:
    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        assert text in response.content.decode()

    assert_constant_queries(fetch, grow, limit=limit, warm_limit=warm)


def test_board_budget(client_for, world):
    group = world.group
    writers = people_in(group, 5)

    def grow():
        for i in range(50):
            thread = Thread.objects.create(group=group, title=f"Thread {i}", author=writers[i % 5])
            Post.objects.bulk_create(
                [Post(thread=thread, author=writers[j], body=f"Post {j}") for j in range(3)]
            )

    url = f"/groups/{group.slug}/space/"
    _budget(client_for(world.users["member"]), url, grow, limit=9, warm=4, text="Threads")


def test_thread_with_200_replies_budget(client_for, world):
    thread = world.space_thread
    writers = people_in(world.group, 20)

    def grow():
        Post.objects.bulk_create(
            [Post(thread=thread, author=writers[i % 20], body=f"Reply {i}") for i in range(200)]
        )

    url = thread.get_absolute_url()
    _budget(client_for(world.users["member"]), url, grow, limit=11, warm=0, text=thread.title)
