"""Helpers of the group-space tests: URLs and posting as a member would."""

from __future__ import annotations

from django.urls import reverse

from space.models import Post, Thread


def board(group) -> str:
    return reverse("space:board", args=[group.slug])


def start_thread(client, group, title: str, body: str, *, follow: bool = False):
    return client.post(
        reverse("space:thread_new", args=[group.slug]),
        {"title": title, "body": body},
        follow=follow,
    )


def reply(client, thread: Thread, body: str, *, follow: bool = False):
    url = reverse("space:reply", args=[thread.group.slug, thread.pk])
    return client.post(url, {"body": body}, follow=follow)


def report(client, post: Post, reason: str = "disrespect", note: str = ""):
    url = reverse("space:post_report", args=[post.thread.group.slug, post.pk])
    return client.post(url, {"reason": reason, "note": note})


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()
