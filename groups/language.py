"""Which organisation's default language applies: to a page under /groups/<slug>/ or
/orgs/<slug>/, and to an email about one of its groups or meetings
(`peersupport.language` asks; `GroupsConfig.ready()` registers these)."""

from __future__ import annotations

import re
import time

from django.conf import settings

from groups.models import Organisation, PeerGroup
from peersupport import cache

PAGE = re.compile(r"^/(?P<kind>groups|orgs)/(?P<slug>[-\w]+)/")
# Emails about one organisation's groups are rendered by the hundred in a fan-out: its
# language is remembered in the process for a minute rather than read per message.
_MEMO_SECONDS = 60
_memo: dict[int, tuple[float, str]] = {}


def _languages() -> dict:
    """The organisations (and their groups) whose default is not the site's, by slug."""
    site = settings.LANGUAGE_CODE
    orgs = dict(
        Organisation.objects.exclude(default_language=site).values_list("slug", "default_language")
    )
    groups = dict(
        PeerGroup.objects.exclude(organisation__default_language=site).values_list(
            "slug", "organisation__default_language"
        )
    )
    return {"orgs": orgs, "groups": groups}


def page_language(path: str) -> str:
    """The default language of the organisation a page belongs to ("" for none)."""
    match = PAGE.match(path)
    if match is None:
        return ""
    found = cache.fetch("organisation-languages", ("public:all",), _languages)
    return found[match["kind"]].get(match["slug"], "")


# Where the organisation is, from what emails are about: an organisation, a group, a
# meeting, a membership or its history, a post's thread, a meeting's RSVP...
ABOUT_PATHS = (
    "organisation_id",
    "group.organisation_id",
    "meeting.group.organisation_id",
    "membership.group.organisation_id",
    "thread.group.organisation_id",
)


def _organisation_id(about) -> int | None:
    for path in ABOUT_PATHS:
        value = about
        try:
            for name in path.split("."):
                value = getattr(value, name)
        except AttributeError:
            continue
        if isinstance(value, int):
            return value
    return None


def email_language(about) -> str:
    """The default language of the organisation an email is about ("" when none)."""
    organisation_id = _organisation_id(about)
    if organisation_id is None:
        return ""
    now = time.monotonic()
    kept = _memo.get(organisation_id)
    if kept and kept[0] > now:
        return kept[1]
    found = (
        Organisation.objects.filter(pk=organisation_id)
        .values_list("default_language", flat=True)
        .first()
    ) or ""
    if len(_memo) > 1000:
        _memo.clear()
    _memo[organisation_id] = (now + _MEMO_SECONDS, found)
    return found
