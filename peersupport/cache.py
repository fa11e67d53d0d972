"""The one cache mechanism: entries kept under the version tokens of the scopes they read.

A scope names a set of rows: "person:12" (an account with its memberships, roles,
signatures and MFA devices), "group:4", "org:3", "meeting:40", "public:group:4",
"dashboard:3", "feed:user:12"... Which saves and deletes renew which scopes is one table,
`peersupport.cache_scopes.SCOPES`; nothing else connects model signals for caching.

Every scope has a random version token. An entry is stored with the tokens of the scopes
it was built from and served only while each still has that value, which one `get_many`
checks together with the entry itself: one round trip, no query. Renewing a scope gives it
a new token now (this transaction's later reads, and tests, which never commit, see the
change) and again once the transaction commits (a reader who loaded the old rows meanwhile
can only have stored them under a token nobody asks for any more). Tokens are random, not
counters: an evicted token can never come back and revive an old entry.

Tokens are read *before* the rows are loaded, so a change landing while an entry is built
leaves it stale. Scopes known only from the rows (the groups of a person's memberships, a
meeting's group) are checked too: if one of their tokens existed but was not read before
the build, the value is built again after reading it. Nothing built inside a transaction
of our own is stored: it may include writes that are then rolled back.

Bulk `.update()` / `bulk_create` send no signal: code writing in bulk calls `renew()` or
`renew_rows()` itself, and entries expire after their lifetime anyway (the
*_CACHE_SECONDS settings; 0 turns a cache off). What is cached: rows and values computed
from them, checked by the same permission rules on every request. One list is kept
rendered: the facilitator dashboard's rows (per person, language and zone), because
rendering them is most of that page's cost; the page around them is rendered per request.
The parts of a meeting's page that are the same for everyone are kept drawn under the
version of the meeting's rows (`drawn`), and so are a group-space thread's posts.
Visitors' public pages (`groups.cache`) are the same for everybody.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")

# The user columns a page may show about somebody else (a facilitator, a role holder).
PERSON_COLUMNS = ("id", "display_name", "is_active")

GUESS_SECONDS = 24 * 3600
# Which extra scopes each entry was last stored with, as this process saw them: only a
# guess of which tokens to read along with the entry, never trusted. Keys only, bounded.
_seen: dict[str, tuple[str, ...]] = {}
_SEEN_MAX = 20_000


# The entries most signed-in pages read about their person, by user id: (the key given
# to `fetch`, its scopes), read ahead with the account (peersupport.auth). Apps add
# theirs from `ready()`.
PERSON_ENTRIES: list[Callable[[int], tuple[str, tuple[str, ...]]]] = [
    lambda user_id: (f"mfa-needed:{user_id}", (f"person:{user_id}",)),
]

# What this request read ahead (`read_ahead`): cache key -> value, None when absent.
_ahead: ContextVar[dict[str, object] | None] = ContextVar("cache_read_ahead", default=None)


def token_key(scope: str) -> str:
    return f"version:{scope}"


def new_token() -> str:
    return uuid.uuid4().hex[:12]


def enabled() -> bool:
    return bool(getattr(settings, "ROW_CACHE_SECONDS", 0))


def in_transaction() -> bool:
    """Inside a transaction of our own (not the test suite's wrapper around each test)?"""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def renew(*scopes: str) -> None:
    """`scopes` changed: entries built from them are no longer served (now and on commit)."""
    scopes = tuple(dict.fromkeys(s for s in scopes if s))
    if not scopes:
        return

    def write() -> None:
        cache.set_many({token_key(s): new_token() for s in scopes}, None)

    forget_read_ahead()  # what was read ahead may be about these scopes
    write()
    transaction.on_commit(write)


def read_ahead(keys: Iterable[str], scopes: Iterable[str]) -> None:
    """Read the entries `fetch()` keeps under `keys`, and the tokens of `scopes`, in one
    round trip now: this request's later `fetch()` calls for them make none.

    Called where a request first learns who is asking (`peersupport.auth`: the account
    and the person's other entries that every signed-in page reads), and by pages that
    know what they will read (a meeting's page: its rows, the viewer's RSVP, its drawn
    parts). It is as if the request had made those reads at that moment; its own writes
    (`renew()`) drop what was read ahead. `forget_read_ahead()` ends it.
    """
    entries = [f"cached:{key}" for key in keys]
    # With each entry: the scopes it was last stored with beyond those named (as this
    # process saw them), and, for an entry this process has not seen yet, where one built
    # with `more` keeps them.
    scopes = [*scopes, *(s for entry in entries for s in seen(entry))]
    guesses = [f"{entry}:scopes" for entry in entries if entry not in _seen]
    wanted = list(dict.fromkeys([*entries, *guesses, *map(token_key, scopes)]))
    found = cache.get_many(wanted)
    _ahead.set({**(_ahead.get() or {}), **{key: found.get(key) for key in wanted}})


def forget_read_ahead(**_signal) -> None:
    """Drop what was read ahead (at the start and end of each request, on `renew()`)."""
    if _ahead.get() is not None:
        _ahead.set(None)


def _get_many(keys: list[str]) -> dict:
    """`cache.get_many`, answered from what was read ahead where it can be."""
    ahead = _ahead.get()
    if not ahead:
        return cache.get_many(keys) if keys else {}
    missing = [k for k in keys if k not in ahead]
    found = {k: ahead[k] for k in keys if k in ahead and ahead[k] is not None}
    if missing:
        found.update(cache.get_many(missing))
    return found


def _written(*keys: str) -> None:
    """These keys were just written: later reads in this request go to the cache."""
    ahead = _ahead.get()
    if ahead:
        for key in keys:
            ahead.pop(key, None)


def read_tokens(scopes: Iterable[str]) -> dict[str, str | None]:
    scopes = list(dict.fromkeys(scopes))
    found = _get_many([token_key(s) for s in scopes])
    return {s: found.get(token_key(s)) for s in scopes}


def tokens(scopes: Iterable[str], known: dict[str, str | None] | None = None) -> dict[str, str]:
    """The current token of each scope (`known`: ones already read, None when missing);
    missing ones are made.

    add(), not set(): two requests making the same token must agree on one. A value is
    None only when a token vanished in between (then nothing may be stored under it)."""
    scopes = list(dict.fromkeys(scopes))
    known = dict(known or {})
    unread = [s for s in scopes if s not in known]
    if unread:
        known.update({s: t for s, t in read_tokens(unread).items() if t is not None})
    result = {}
    for scope in scopes:
        token = known.get(scope)
        if token is None:
            token = new_token()
            _written(token_key(scope))
            if not cache.add(token_key(scope), token, None):
                token = cache.get(token_key(scope))
        result[scope] = token
    return result


def version(found: dict[str, str]) -> str:
    """One string that changes whenever one of these tokens does."""
    return ".".join(f"{found[s]}" for s in sorted(found))


def current(entry_tokens: dict[str, str], found: dict[str, str | None]) -> bool:
    return all(found.get(s) == t for s, t in entry_tokens.items())


def fetch(key: str, scopes: Iterable[str], build: Callable[[], T], **options) -> T:
    """The value stored under `key` if none of its scopes changed since; else `build()`."""
    return fetch_versioned(key, scopes, build, **options)[0]


def fetch_versioned(
    key: str,
    scopes: Iterable[str],
    build: Callable[[], T],
    *,
    more: Callable[[T], Iterable[str]] | None = None,
    expires: Callable[[T], float] | None = None,
    seconds: int | None = None,
) -> tuple[T, str]:
    """`fetch()`, and the version of what it returned ("" when nothing may be cached on it).

    `scopes`: known before the build. `more(value)`: scopes learnt from the value (a
    person's groups). `expires(value)`: seconds until it goes out of date by itself (a
    meeting that ends drops off a list). `seconds`: the lifetime (ROW_CACHE_SECONDS).
    """
    ttl = settings.ROW_CACHE_SECONDS if seconds is None else seconds
    if not ttl:
        return build(), ""
    entry_key = f"cached:{key}"
    # With `more`: the extra scopes the entry was last stored with, kept longer than the
    # entry, so that after it expires they are read before the next build (only a guess).
    guess_key = f"{entry_key}:scopes" if more else None
    scopes = tuple(dict.fromkeys(scopes))
    upfront = list(dict.fromkeys((*scopes, *seen(entry_key))))
    found = _get_many([entry_key, *map(token_key, upfront)])
    read = {s: found.get(token_key(s)) for s in upfront}
    entry = found.get(entry_key)
    guess = None
    if entry is not None:
        read.update(read_tokens(s for s in entry["tokens"] if s not in read))
        if set(scopes) <= set(entry["tokens"]) and current(entry["tokens"], read):
            remember(entry_key, tuple(s for s in entry["tokens"] if s not in scopes))
            return entry["value"], version(entry["tokens"])
    elif guess_key:
        # Read only when the entry is missing (then it is built anyway), still before the
        # build; `read_ahead` reads it along for entries this process has not seen yet.
        guess = _get_many([guess_key]).get(guess_key, ())
        read.update(read_tokens(s for s in guess if s not in read))
    known = dict(read)
    known.update(tokens(scopes, known))
    for _attempt in range(2):
        value = build()
        extra = tuple(dict.fromkeys(s for s in (more(value) if more else ()) if s not in scopes))
        unknown = [s for s in extra if known.get(s) is None]
        if not unknown:
            break
        # Learnt from the rows: if such a token exists already it may have been renewed
        # after those rows were read, so read it and build again; one made now is safe.
        for scope in unknown:
            token = new_token()
            _written(token_key(scope))
            if cache.add(token_key(scope), token, None):
                known[scope] = token
        fresh = [s for s in unknown if known.get(s) is None]
        if not fresh:
            break
        known.update(tokens(fresh))  # they exist: read them
    else:
        return value, ""
    stored = {s: known[s] for s in (*scopes, *extra)}
    if None in stored.values() or in_transaction():
        return value, ""
    if expires is not None:
        ttl = min(ttl, int(expires(value)))
    if ttl > 0:
        _written(entry_key)
        cache.set(entry_key, {"tokens": stored, "value": value}, ttl)
        remember(entry_key, extra)
        if guess_key and guess != extra:
            cache.set(guess_key, extra, GUESS_SECONDS)
    return value, version(stored)


def rows_version(scopes: Iterable[str]) -> str:
    """The version of the rows a request is about to read under `scopes`, for `drawn()`
    when the rows themselves are read from the database, not with `fetch_versioned`
    ("" when nothing may be kept: the cache off, inside a transaction of our own). Read
    it *before* loading the rows: a change landing meanwhile leaves what is drawn stale."""
    if not enabled() or in_transaction():
        return ""
    found = tokens(scopes)
    return "" if None in found.values() else version(found)


def drawn_key(key: str) -> str:
    """The `fetch`-style key `drawn(key, ...)` keeps its value under (for `read_ahead`)."""
    return f"drawn:{key}"


def drawn(key: str, version: str, draw: Callable[[], T]) -> T:
    """What `draw()` makes from rows read with `fetch_versioned` (parts of a page drawn
    from them), kept under `key` with the `version` of those rows, so drawn again as
    soon as any of them changes. `key` names whatever else the drawing depends on
    (language, time zone); it must be the same for everyone who is shown it. Without a
    version (the cache off, rows read inside a transaction) it is drawn every time."""
    if not version:
        return draw()
    entry_key = f"cached:{drawn_key(key)}"
    found = _get_many([entry_key]).get(entry_key)
    if found is not None and found["version"] == version:
        return found["value"]
    value = draw()
    if not in_transaction():
        _written(entry_key)
        cache.set(entry_key, {"version": version, "value": value}, settings.ROW_CACHE_SECONDS)
    return value


def seen(entry_key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    return _seen.get(entry_key, default)


def remember(entry_key: str, extra: tuple[str, ...]) -> None:
    if _seen.get(entry_key) != extra:
        if len(_seen) >= _SEEN_MAX:
            _seen.clear()
        _seen[entry_key] = extra
