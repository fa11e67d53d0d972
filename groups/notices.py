"""What a notice in a member's notifications list says about a group's messages (the
group's name) and the page it opens, for the notification layer (`members.hooks`)."""

from __future__ import annotations

from django.urls import reverse

from members.hooks import KindHooks, kind_hooks_register


def _group_of(about):
    """Agreement versions, concerns and support requests have a group; membership events
    reach it through their membership."""
    group = getattr(about, "group", None)
    if group is None and hasattr(about, "membership"):
        group = about.membership.group
    return group


# Kind -> the page its notice opens, given the group and the row it is about.
LINKS = {
    "agreement_resign": lambda group, about: reverse("groups:agreement_sign", args=[group.slug]),
    "join_request": lambda group, about: reverse("groups:requests", args=[group.slug]),
    "join_approved": lambda group, about: reverse("groups:inside", args=[group.slug]),
    "join_declined": lambda group, about: group.get_absolute_url(),
    "membership_removed": lambda group, about: group.get_absolute_url(),
    "support_request": lambda group, about: reverse("groups:followups", args=[group.slug]),
    "concern_reported": lambda group, about: reverse("groups:concern", args=[about.pk]),
}


def _notice(link):
    def notice(about, context) -> tuple[str, str]:
        group = _group_of(about)
        return ("", "") if group is None else (group.name, link(group, about))

    return notice


def hooks_register() -> None:
    for kind, link in LINKS.items():
        kind_hooks_register([kind], KindHooks(notice=_notice(link)))
