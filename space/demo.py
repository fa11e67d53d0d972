"""Demo data of the group space (run by `seed_demo` after the groups' demo): two threads
in the first responders' circle, one pinned by the facilitator. Safe to run again."""

from __future__ import annotations

import datetime

from django.utils import timezone

from groups.models import PeerGroup
from members.demo import demo_user
from space.models import Post, Thread

GROUP_SLUG = "first-responders-peer-circle"
THREADS = [
    (
        "Ground rules for the space",
        "facilitator@example.org",
        True,
        [
            (
                "facilitator@example.org",
                "What we share here stays in the group, as at our meetings. Be kind, "
                "speak from your own experience, and if you are in crisis please use the "
                "crisis resources link at the top of every page.",
            )
        ],
    ),
    (
        "Anyone else awake at 3 am after a night shift?",
        "member@example.org",
        False,
        [
            (
                "member@example.org",
                "Back from nights and my head won't switch off. How do you wind down?",
            ),
            (
                "facilitator@example.org",
                "A warm shower and no screens helps me. Shall we talk about sleep next Thursday?",
            ),
            (
                "member@example.org",
                "Yes please. This helped too: https://www.nhs.uk/every-mind-matters/",
            ),
        ],
    ),
]


def seed(out) -> None:
    group = PeerGroup.objects.filter(slug=GROUP_SLUG).first()
    if group is None:
        return
    start = timezone.now() - datetime.timedelta(days=3)
    made = 0
    for title, author, pinned, posts in THREADS:
        thread, created = Thread.objects.get_or_create(
            group=group,
            title=title,
            defaults={"author": demo_user(author), "pinned": pinned, "created_at": start},
        )
        if not created:
            continue
        for i, (writer, body) in enumerate(posts):
            at = start + datetime.timedelta(hours=5 * i)
            Post.objects.create(thread=thread, author=demo_user(writer), body=body, created_at=at)
            thread.last_post_at = at
        thread.save(update_fields=["last_post_at"])
        made += 1
    out.write(f"  group space: {made} new threads")
