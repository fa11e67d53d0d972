"""Group-space threads of the scale data set: a few threads with replies in every active
group with members, and in the first such group one thread of 200 replies (the benchmark's
thread page)."""

from __future__ import annotations

import datetime

SPACE_COLUMNS = {
    "space_thread": (
        "id title pseudonym pinned locked slow_mode_minutes created_at last_post_at "
        "author_id group_id"
    ),
    "space_post": (
        "id pseudonym body status watched_match created_at edited_at moderated_at "
        "moderation_reason author_id moderated_by_id thread_id"
    ),
}
TITLES = [
    "How did the week go?",
    "Anyone else awake at 3 am?",
    "A resource that helped me",
    "Question for the group",
]
REPLIES = [
    "Thank you for sharing this.",
    "Same here, it helps to know I'm not the only one.",
    "I found the breathing exercise from last meeting useful.",
    "Sending good thoughts your way.",
]
BENCH_REPLIES = 200


def space_threads(gen) -> None:
    """Two threads per active group with at least two members, 3 to 20 replies each."""
    w, rng = gen.w, gen.rng
    bench_done = False
    for group in gen.groups:
        people = group["members"]
        if len(people) < 2:
            continue
        for t in range(2):
            replies = BENCH_REPLIES if not bench_done and t == 0 else rng.randrange(3, 21)
            bench_done = True
            _thread(w, rng, gen.now, group, people, TITLES[t % len(TITLES)], replies)


def _thread(w, rng, now, group, people, title, replies) -> None:
    started = now - datetime.timedelta(days=rng.randrange(1, 60), minutes=rng.randrange(600))
    pk = w.take_id("space_thread")
    author = rng.choice(people)
    last = started + datetime.timedelta(minutes=5 * replies)
    w.row("space_thread", (pk, title, "", False, False, 0, started, last, author, group["pk"]))
    for i in range(replies + 1):
        body = "Checking in before the next meeting." if i == 0 else rng.choice(REPLIES)
        w.row(
            "space_post",
            (
                w.take_id("space_post"),
                "",
                body,
                "published",
                False,
                started + datetime.timedelta(minutes=5 * i),
                None,
                None,
                "",
                author if i == 0 else rng.choice(people),
                None,
                pk,
            ),
        )
