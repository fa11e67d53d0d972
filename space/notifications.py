"""The kinds of notification the group space offers (registered from `SpaceConfig.ready`).

A reply or a mention can be many a day, so their emails are off by default: the space's
email is one daily digest (`space_digest`), sent by `space.tasks.send_space_digests`.
Moderation outcomes and suspensions carry a facilitator's reason to one person and are on.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from members.notifications import FACILITATORS, Kind, register_kind

KINDS = [
    Kind(
        "space_reply",
        _("A new reply in a group-space thread I wrote or replied to"),
        default_on=False,
    ),
    Kind("space_mention", _("Someone mentioned me in a group space"), default_on=False),
    Kind("space_moderation", _("A facilitator reviewed my post in a group space")),
    Kind("space_suspension", _("I was suspended from posting in a group space")),
    Kind(
        "space_waiting",
        _("A post in the group space of a group I facilitate waits for my review"),
        audience=FACILITATORS,
    ),
    Kind("space_digest", _("A daily digest of new replies in my group-space threads")),
]


def kinds_register() -> None:
    for kind in KINDS:
        register_kind(kind)
