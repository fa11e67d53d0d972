"""What the agreement tests share: addresses, a second version, signing in a race."""

from __future__ import annotations

import html
import threading

from django.db import connection
from django.urls import reverse

from groups.services.agreements import (
    agreement_draft_update,
    agreement_publish,
)
from members.models import User

RESIGN_SUBJECT = "Please read your group's updated agreement"


def _url(name, world, *more):
    return reverse(f"groups:{name}", args=[world.group.slug, *more])


def _page(client, url) -> str:
    return html.unescape(client.get(url).content.decode())


def _fresh(user):
    """The same person as a new request would load them (no cached roles or signatures)."""
    return User.objects.get(pk=user.pk)


def _sign_data(world, **overrides):
    data = {
        "version": world.agreement.number,
        "consent": "on",
        "addendum_acknowledged": "on",
        "typed_name": "  nia   OKONKWO-smith ",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _publish_v2(world, text="What is shared here stays here.\nWe start on time."):
    facilitator = world.users["facilitator"]
    agreement_draft_update(
        group=world.group, text=text, online_addendum="No recording.", user=facilitator
    )
    return agreement_publish(group=world.group, user=facilitator)


def _race(workers: int, work) -> list:
    """Run `work(i)` in threads released together; returns results or exceptions."""
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
