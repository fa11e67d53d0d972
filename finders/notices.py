"""What the notice about a failing feed says (the feed's name) and the page it opens (the
organisation's meeting finders page), for the notification layer (`members.hooks`)."""

from __future__ import annotations

from django.urls import reverse

from members.hooks import KindHooks, kind_hooks_register


def _feed_notice(source, context) -> tuple[str, str]:
    return source.name, reverse("finders:manage", args=[source.organisation.slug])


def hooks_register() -> None:
    kind_hooks_register(["finder_feed_failing"], KindHooks(notice=_feed_notice))
