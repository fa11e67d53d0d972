"""Each member's finished private calendar feed, cached for that one member.

Calendar apps fetch a feed again and again while it rarely changes, and building one
costs five queries and a VEVENT per meeting. The finished feed is stored under a key made
of its owner, its feed row and a digest of its token (plus the language it was written in),
so an entry can only ever be served for the token it was built for: never to anyone else.

Every request still looks its token up in the database first, so a rotated or revoked token
(or a deactivated owner) answers 404 at once, whatever the cache holds.

An entry is kept with the version tokens (`peersupport.cache`) of the scopes it was built
from: "feed:user:<id>" (the member's own settings, memberships, roles, signatures, RSVPs
and feed row) and "feed:group:<id>" for each group whose meetings it lists (the group's
settings, agreement versions and meetings), read before the rows. It is served only while
every token still has that value; `peersupport.cache_scopes` says which saves renew them.

Time matters too: the "only N hours before" rule reveals a place or link at a given
moment, so an entry expires no later than the next such moment among its meetings, and at
the latest after FEED_CACHE_SECONDS (the feed's "past week" window moves on). 0 turns
the cache off.
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from peersupport import cache as shared
from peersupport import language
from sessions.models import CalendarFeed
from sessions.selectors import rsvp as selectors_rsvp
from sessions.services import calendar as calendar_services


def seconds() -> int:
    """The longest an entry lives (off in the test suite, which counts queries)."""
    return settings.FEED_CACHE_SECONDS


def _entry_key(token: str, feed: CalendarFeed) -> str:
    # A digest, not the token itself: the token is the feed's only secret. The owner's
    # row is read with the token, before the version tokens, so what the feed takes from
    # it (discreet mode) is part of the key: an edit landing in between gives another key
    # rather than an entry built from the old row under the new version.
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    language = translation.get_language() or ""
    discreet = int(feed.user.discreet_mode)
    return f"feed:{feed.user_id}:{feed.pk}:{digest}:{language}:{discreet}"


def _cached_body(key: str, user_scope: str) -> bytes | None:
    """The stored body if it is still current: one round trip to the cache (the entry with
    the tokens of the scopes it was last stored with, as this process saw them), no query."""
    guessed = shared.seen(key)
    found = cache.get_many([key, *map(shared.token_key, (user_scope, *guessed))])
    entry = found.get(key)
    if entry is None or entry["tokens"].get(user_scope) != found.get(shared.token_key(user_scope)):
        return None
    if entry["until"] is not None and timezone.now() >= entry["until"]:
        return None  # a place or link is due to show (the expiry is rounded down anyway)
    groups = {s: t for s, t in entry["tokens"].items() if s != user_scope}
    read = {s: found.get(shared.token_key(s)) for s in groups if s in guessed}
    read.update(shared.read_tokens(s for s in groups if s not in guessed))
    if not shared.current(groups, read):
        return None
    shared.remember(key, tuple(groups))
    return entry["body"]


def feed_body(token: str, *, name: str) -> bytes | None:
    """The feed a token opens, or None (revoked, never issued, owner inactive: a 404).

    From the cache while current, else built and stored. A hit costs one query (is the
    token still valid? whose is it?) and one round trip to the cache.
    """
    feed = selectors_rsvp.calendar_feed_for_token(token)
    if feed is None:
        return None
    # A calendar app asks in its own language, or none: the summaries are written in the
    # owner's, as their emails are.
    with translation.override(language.for_email(feed.user)):
        return _feed_body(token, feed, name=str(name))


def _feed_body(token: str, feed: CalendarFeed, *, name: str) -> bytes:
    ttl = seconds()
    if not ttl:
        return _build(feed, name=name).body
    key = _entry_key(token, feed)
    user_scope = f"feed:user:{feed.user_id}"
    body = _cached_body(key, user_scope)
    if body is not None:
        return body
    # Tokens are read before the rows they cover: an edit landing during the build leaves
    # this entry with an old token, so it is never served.
    tokens = shared.tokens([user_scope])
    group_ids = selectors_rsvp.calendar_feed_group_ids(feed.user)
    tokens |= shared.tokens([f"feed:group:{gid}" for gid in group_ids])
    now = timezone.now()
    built = _build(feed, name=name, group_ids=group_ids, now=now)
    if built.changes_at is not None:
        # Floor: the entry is gone by the moment a place or link is revealed, not after.
        ttl = min(ttl, math.floor((built.changes_at - now).total_seconds()))
    if ttl >= 1 and None not in tokens.values() and not shared.in_transaction():
        entry = {"tokens": tokens, "body": built.body, "until": built.changes_at}
        cache.set(key, entry, ttl)
        shared.remember(key, tuple(s for s in tokens if s != user_scope))
    return built.body


def _build(feed: CalendarFeed, *, name: str, group_ids=None, now=None):
    meetings = selectors_rsvp.calendar_feed_meetings(feed.user, group_ids=group_ids)
    return calendar_services.feed_build(user=feed.user, meetings=meetings, name=name, now=now)
