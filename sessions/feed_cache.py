"""Each member's finished private calendar feed, cached for that one member (issue 13).

Calendar apps fetch a feed again and again while it rarely changes, and building one
costs five queries and a VEVENT per meeting. The finished feed is stored under a key made
of its owner, its feed row and a digest of its token (plus the language it was written in),
so an entry can only ever be served for the token it was built for: never to anyone else.

Every request still looks its token up in the database first, so a rotated or revoked token
(or a deactivated owner) answers 404 at once, whatever the cache holds.

An entry is kept with the *version tokens* of the scopes it was built from: "user:<id>"
(the member's own settings, memberships, roles, signatures and feed row) and "group:<id>"
for each group whose meetings it lists (the group's settings, agreement versions and
meetings). It is served only while every token still has the value it had before the
entry was built. Saving or deleting such a row renews the tokens of its scopes, now and
again once the transaction commits, so the next request builds afresh. Tokens are random,
not counters: an evicted token can never come back and revive an old entry.

Time matters too: the "only N hours before" rule reveals a place or link at a given
moment, so an entry expires no later than the next such moment among its meetings, and at
the latest after FEED_CACHE_SECONDS (bulk `.update()` calls send no signal; the feed's
"past week" window moves on). 0 turns the cache off.
"""

from __future__ import annotations

import hashlib
import math
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from peersupport import rowcache
from sessions.models import CalendarFeed
from sessions.selectors import rsvp as selectors_rsvp
from sessions.services import calendar as calendar_services

# What a feed shows of its owner and of a meeting: saves that touch none of these (a login
# stamping last_login, the live view moving to the next agenda item) leave feeds alone.
USER_FIELDS = frozenset({"discreet_mode", "time_zone", "preferred_language", "is_active"})
# The meeting's own columns the feed reads (selectors_rsvp loads exactly these).
MEETING_FIELDS = frozenset(
    {f for f in selectors_rsvp.FEED_MEETING_FIELDS if "__" not in f and f != "id"} | {"group"}
)


def seconds() -> int:
    """The longest an entry lives (off in the test suite, which counts queries)."""
    return settings.FEED_CACHE_SECONDS


def _token_key(scope: str) -> str:
    return f"feed-version:{scope}"


def _tokens(scopes: list[str], found: dict | None = None) -> dict[str, str]:
    """The current token of each scope (`found`: ones already read); missing ones are made."""
    keys = [_token_key(s) for s in scopes]
    found = dict(found or {})
    unread = [k for k in keys if k not in found]
    if unread:
        found.update(cache.get_many(unread))
    tokens = {}
    for key in keys:
        token = found.get(key)
        if token is None:
            token = uuid.uuid4().hex[:12]
            # add(), not set(): two requests making the same token must agree on one.
            if not cache.add(key, token, None):
                token = cache.get(key, token)
        tokens[key] = token
    return tokens


def invalidate(*scopes: str) -> None:
    """Give `scopes` new tokens now and again once the transaction commits.

    Now: this transaction's own later reads (and tests, which never commit) see the edit.
    After commit: a request that read the old rows meanwhile can't keep them cached.
    """

    def renew() -> None:
        cache.set_many({_token_key(s): uuid.uuid4().hex[:12] for s in scopes}, None)

    renew()
    transaction.on_commit(renew)


def _entry_key(token: str, feed: CalendarFeed) -> str:
    # A digest, not the token itself: the token is the feed's only secret. The owner's
    # row is read with the token, before the version tokens, so what the feed takes from
    # it (discreet mode) is part of the key: an edit landing in between gives another key
    # rather than an entry built from the old row under the new version.
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    language = translation.get_language() or ""
    discreet = int(feed.user.discreet_mode)
    return f"feed:{feed.user_id}:{feed.pk}:{digest}:{language}:{discreet}"


def _cached_body(key: str, user_key: str) -> bytes | None:
    """The stored body if it is still current: two round trips to the cache, no query."""
    found = cache.get_many([key, user_key])
    entry = found.get(key)
    if entry is None or entry["tokens"].get(user_key) != found.get(user_key):
        return None
    if entry["until"] is not None and timezone.now() >= entry["until"]:
        return None  # a place or link is due to show (the expiry is rounded down anyway)
    group_keys = [k for k in entry["tokens"] if k != user_key]
    if group_keys and cache.get_many(group_keys) != {k: entry["tokens"][k] for k in group_keys}:
        return None
    return entry["body"]


def feed_body(token: str, *, name: str) -> bytes | None:
    """The feed a token opens, or None (revoked, never issued, owner inactive: a 404).

    From the cache while current, else built and stored. A hit costs one query (is the
    token still valid? whose is it?) and two round trips to the cache.
    """
    feed = selectors_rsvp.calendar_feed_for_token(token)
    if feed is None:
        return None
    ttl = seconds()
    if not ttl:
        return _build(feed, name=name).body
    key = _entry_key(token, feed)
    user_scope = f"user:{feed.user_id}"
    body = _cached_body(key, _token_key(user_scope))
    if body is not None:
        return body
    # Tokens are read before the rows they cover: an edit landing during the build leaves
    # this entry with an old token, so it is never served.
    tokens = _tokens([user_scope])
    group_ids = selectors_rsvp.calendar_feed_group_ids(feed.user)
    tokens |= _tokens([f"group:{gid}" for gid in group_ids])
    now = timezone.now()
    built = _build(feed, name=name, group_ids=group_ids, now=now)
    if built.changes_at is not None:
        # Floor: the entry is gone by the moment a place or link is revealed, not after.
        ttl = min(ttl, math.floor((built.changes_at - now).total_seconds()))
    if ttl >= 1:
        entry = {"tokens": tokens, "body": built.body, "until": built.changes_at}
        cache.set(key, entry, ttl)
    return built.body


def _build(feed: CalendarFeed, *, name: str, group_ids=None, now=None):
    meetings = selectors_rsvp.calendar_feed_meetings(feed.user, group_ids=group_ids)
    return calendar_services.feed_build(user=feed.user, meetings=meetings, name=name, now=now)


# --- What invalidates what -----------------------------------------------------------------
def _shows(fields: frozenset, update_fields) -> bool:
    return update_fields is None or bool(fields & frozenset(update_fields))


def _on_user(sender, instance, update_fields=None, **kwargs) -> None:
    if _shows(USER_FIELDS, update_fields):
        invalidate(f"user:{instance.pk}")


def _on_user_row(sender, instance, **kwargs) -> None:
    # Memberships (joining, a break, facilitating), organisation roles, the feed row.
    invalidate(f"user:{instance.user_id}")


def _on_signature(sender, instance, **kwargs) -> None:
    if instance.member_id is not None:
        invalidate(f"user:{instance.member_id}")


def _on_group(sender, instance, **kwargs) -> None:
    # Its name, place, link and "only N hours before" setting.
    invalidate(f"group:{instance.pk}")


def _on_agreement_version(sender, instance, **kwargs) -> None:
    # A new version: every member must sign again before the place and link show.
    invalidate(f"group:{instance.group_id}")


def _on_meeting(sender, instance, update_fields=None, **kwargs) -> None:
    if _shows(MEETING_FIELDS, update_fields):
        invalidate(f"group:{instance.group_id}")


def connect() -> None:
    """Called from MeetingsConfig.ready, so web servers, workers and commands all invalidate.

    After the calendar's own post_save receiver (connected on importing sessions.rules), so
    the SEQUENCE it raises is already written when the tokens are renewed."""
    from django.contrib.auth import get_user_model

    from groups.models import AgreementVersion, Membership, OrganisationRole, PeerGroup, Signature
    from sessions.models import Meeting, Rsvp

    pairs = [
        (get_user_model(), _on_user),
        (Membership, _on_user_row),
        (OrganisationRole, _on_user_row),
        (CalendarFeed, _on_user_row),
        (Signature, _on_signature),
        (PeerGroup, _on_group),
        (AgreementVersion, _on_agreement_version),
        (Meeting, _on_meeting),
        # Saying "going" can reveal a place and link (groups that share them only then).
        (Rsvp, _on_user_row),
    ]
    rowcache.on_save_and_delete("feed-cache", pairs)
