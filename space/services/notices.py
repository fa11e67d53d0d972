"""Telling people about the space through the notification layer (`members.notifications
.notify`): new replies, mentions, moderation outcomes, suspensions, the daily digest.

Nothing is sent to members on a break, nor to the author about their own post. Emails
never name the group in their subject, and their bodies name no one: the page, behind
sign-in, holds the words.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.urls import reverse

from groups.models import Membership
from members.models import User
from members.notifications import notify
from space.models import Post, Thread


def _link(thread: Thread, post: Post | None = None) -> str:
    anchor = f"#post-{post.pk}" if post is not None else ""
    return settings.SITE_URL + thread.get_absolute_url() + anchor


def _active_in(group_id: int, user_ids) -> list[User]:
    """Of these people, those active in the group (members on a break get no notices)."""
    return list(
        User.objects.filter(
            pk__in=user_ids,
            is_active=True,
            memberships__group_id=group_id,
            memberships__status=Membership.Status.ACTIVE,
        ).distinct()
    )


def mentioned_in(post: Post) -> list[User]:
    """Active members of the group whose display name follows an "@" in the post."""
    text = post.body.casefold()
    if "@" not in text:
        return []
    members = User.objects.filter(
        memberships__group_id=post.thread.group_id,
        memberships__status=Membership.Status.ACTIVE,
    ).only("pk", "display_name")
    found = []
    for person in members:
        name = re.escape(person.display_name.casefold())
        if name and re.search(rf"@{name}(?!\w)", text):
            found.append(person)
    return found


def post_published(*, post: Post) -> None:
    """A post became visible: tell those who wrote in its thread, and those mentioned."""
    thread = post.thread
    mentioned = [p for p in mentioned_in(post) if p.pk != post.author_id]
    for person in _active_in(thread.group_id, [p.pk for p in mentioned]):
        notify(
            kind="space_mention",
            recipient=person,
            about=post,
            context={"thread_url": _link(thread, post)},
        )
    skip = {post.author_id, *(p.pk for p in mentioned)}
    writers = set(
        Post.objects.filter(thread=thread, author__isnull=False)
        .exclude(pk=post.pk)
        .values_list("author_id", flat=True)
    )
    for person in _active_in(thread.group_id, writers - skip):
        notify(
            kind="space_reply",
            recipient=person,
            about=post,
            context={"thread_url": _link(thread, post)},
        )


def waiting_send(*, post: Post) -> None:
    """Tell the group's active facilitators that a post waits for their review (hidden
    after reports, or a new member's first post); once per post and reason."""
    group_id = post.thread.group_id
    facilitators = User.objects.filter(
        memberships__group_id=group_id,
        memberships__role=Membership.Role.FACILITATOR,
        memberships__status=Membership.Status.ACTIVE,
        is_active=True,
    ).exclude(pk=post.author_id)
    url = settings.SITE_URL + reverse("space:moderation", args=[post.thread.group.slug])
    for person in facilitators:
        notify(
            kind="space_waiting",
            recipient=person,
            about=post,
            key=post.status,
            context={"moderation_url": url},
        )


def moderation_outcome_send(*, post: Post, outcome: str, reason: str) -> None:
    """Tell the author what a facilitator decided about their post, with the reason."""
    if post.author_id is None:
        return
    notify(
        kind="space_moderation",
        recipient=post.author,
        about=post,
        key=f"{outcome}:{post.moderated_at.isoformat() if post.moderated_at else ''}",
        context={
            "removed": outcome == "remove",
            "reason": reason,
            "thread_url": _link(post.thread),
        },
    )


def suspension_send(*, participant, reason: str) -> None:
    notify(
        kind="space_suspension",
        recipient=participant.user,
        about=participant,
        key=participant.suspended_until.isoformat(),
        context={
            "reason": reason,
            "until": participant.suspended_until,
            "space_url": settings.SITE_URL + reverse("space:board", args=[participant.group.slug]),
        },
    )


# --- the daily digest --------------------------------------------------------------------
def digest_activity(*, since: datetime.datetime, until: datetime.datetime) -> dict[int, int]:
    """{member id: replies by others} posted between `since` and `until` in threads the
    member wrote in, for members active in the thread's group."""
    new = list(
        Post.objects.filter(
            status=Post.Status.PUBLISHED, created_at__gte=since, created_at__lt=until
        ).values_list("thread_id", "author_id", "thread__group_id")
    )
    if not new:
        return {}
    writers = set(
        Post.objects.filter(thread_id__in={t for t, _a, _g in new}, author__isnull=False)
        .values_list("thread_id", "author_id")
        .distinct()
    )
    active = set(
        Membership.objects.filter(
            group_id__in={g for _t, _a, g in new}, status=Membership.Status.ACTIVE
        ).values_list("group_id", "user_id")
    )
    counts: dict[int, int] = {}
    for thread_id, writer in writers:
        for new_thread, author, group_id in new:
            if new_thread == thread_id and author != writer and (group_id, writer) in active:
                counts[writer] = counts.get(writer, 0) + 1
    return counts


def digests_send(*, day: datetime.date, since, until) -> int:
    """One digest per member with new replies: keyed by `day`, so a rerun sends nothing
    twice (the ledger's row exists)."""
    counts = digest_activity(since=since, until=until)
    people = User.objects.filter(pk__in=counts, is_active=True)
    return sum(
        notify(
            kind="space_digest",
            recipient=person,
            about=person,
            key=day.isoformat(),
            context={"replies": counts[person.pk], "home_url": settings.SITE_URL + "/"},
        )
        for person in people
    )
