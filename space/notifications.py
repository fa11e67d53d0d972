"""The kinds of notification the group space offers (registered from `SpaceConfig.ready`).

A reply or a mention can be many a day, so they go to the app (the bell) and their email
is off by default: the space's email is one daily digest (`space_digest`, email only),
sent by `space.tasks.send_space_digests`. Moderation outcomes and suspensions carry a
facilitator's reason to one person; posts waiting for review reach the facilitators.

A notice names the thread or the group it is about (shown behind sign-in, to the one
person it is for) and links to it; it never names who wrote.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.hooks import KindHooks, kind_hooks_register
from members.notifications import FACILITATORS, Kind, register_kind

EMAIL_ONLY = frozenset({"email"})
# Replies and mentions reach email through the daily digest only (its own kind, which a
# member turns on or off): one email a day at most, never one per reply.
APP_ONLY = frozenset({"app"})

KINDS = [
    Kind(
        "space_reply",
        _("A new reply in a group-space thread I wrote in"),
        channels=APP_ONLY,
        notice=_("New reply in “%(title)s”"),
    ),
    Kind(
        "space_mention",
        _("Someone mentioned me in a group space"),
        channels=APP_ONLY,
        notice=_("You were mentioned in “%(title)s”"),
    ),
    Kind(
        "space_moderation",
        _("A facilitator reviewed my post in a group space"),
        notice=_("A facilitator reviewed your post in “%(title)s”"),
    ),
    Kind(
        "space_suspension",
        _("I was suspended from posting in a group space"),
        notice=_("You are suspended from posting in the group space of %(title)s"),
    ),
    Kind(
        "space_waiting",
        _("A post in the group space of a group I facilitate waits for my review"),
        audience=FACILITATORS,
        notice=_("A post waits for your review in the group space of %(title)s"),
    ),
    Kind(
        "space_digest",
        _("A daily digest of new replies in my group-space threads"),
        channels=EMAIL_ONLY,
    ),
]


def _in_thread(post, context: dict) -> tuple[str, str]:
    return post.thread.title, f"{post.thread.get_absolute_url()}?page=last#post-{post.pk}"


def _waiting(post, context: dict) -> tuple[str, str]:
    group = post.thread.group
    return group.name, reverse("space:moderation", args=[group.slug])


def _suspended(participant, context: dict) -> tuple[str, str]:
    group = participant.group
    return group.name, reverse("space:board", args=[group.slug])


def kinds_register() -> None:
    for kind in KINDS:
        register_kind(kind)
    kind_hooks_register(
        ["space_reply", "space_mention", "space_moderation"], KindHooks(notice=_in_thread)
    )
    kind_hooks_register(["space_waiting"], KindHooks(notice=_waiting))
    kind_hooks_register(["space_suspension"], KindHooks(notice=_suspended))
