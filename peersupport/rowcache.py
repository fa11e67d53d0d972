"""Rows that nearly every signed-in request reads and that rarely change, kept in the cache.

A signed-in page used to start with the same queries on every request: the person's
memberships (with their groups), organisation roles and agreement signatures for the
permission layer, the account itself, and on a meeting page the meeting with its group,
agenda and roles and the person's RSVP.
Building those queries costs more Python than PostgreSQL spends answering them
(bench/README.md, "Per-request cost"), so they are read from Redis instead.

An entry is stored with the *version tokens* of the scopes it was built from ("person:12",
"meeting:40", "groups", "people"). It is served only while every one of those tokens still
has the value it had when the entry was built, which one `get_many` checks together with
the entry itself: one round trip, no query. Saving or deleting a row renews the tokens of
its scopes (now, and again once the transaction commits, so a reader who loaded the old
row meanwhile cannot keep it), so the very next request rebuilds from the database. Tokens
are random, not counters: an evicted token can never come back and revive an old entry.
Tokens are read *before* the rows are loaded, so a change that lands while an entry is
being built leaves it stale-tokened and unused.

What this is not: a cache of anyone's rendered page. Entries are rows, checked by the
same permission rules on every request as rows fresh from the database. Bulk `.update()`
calls send no signal, so code that changes these rows in bulk calls `renew()` itself, and
entries expire after ROW_CACHE_SECONDS anyway. No password hash is ever stored: the
signed-in account is kept without it (`peersupport/auth.py`), and of other people only the
columns pages show (`PERSON_COLUMNS`).

ROW_CACHE_SECONDS = 0 turns it off; the test suite runs with it on, as production does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")

# The user columns a page may show about somebody else (a facilitator, a role holder).
PERSON_COLUMNS = ("id", "display_name", "is_active")


def _token_key(scope: str) -> str:
    return f"row-version:{scope}"


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def enabled() -> bool:
    return bool(getattr(settings, "ROW_CACHE_SECONDS", 0))


def fetch(
    key: str,
    scopes: Iterable[str],
    build: Callable[[], T],
    *,
    expires: Callable[[T], float] | None = None,
) -> T:
    """The value stored under `key` if none of `scopes` changed since; else `build()`.

    `expires(value)`: seconds until the value goes out of date by itself (a meeting that
    ends drops off a list of upcoming ones); the entry lives no longer than that.
    """
    return fetch_versioned(key, scopes, build, expires=expires)[0]


def fetch_versioned(
    key: str,
    scopes: Iterable[str],
    build: Callable[[], T],
    *,
    expires: Callable[[T], float] | None = None,
) -> tuple[T, str]:
    """`fetch()`, and the version of what it returned: a string that changes whenever one
    of `scopes` does, for keying fragments rendered from the value ("" when the row cache
    is off: then nothing may be cached on it)."""
    if not enabled():
        return build(), ""
    entry_key = f"rows:{key}"
    token_keys = [_token_key(s) for s in scopes]
    found = cache.get_many([entry_key, *token_keys])
    tokens = {k: found.get(k) for k in token_keys}
    entry = found.get(entry_key)
    if entry is not None and None not in tokens.values() and entry["tokens"] == tokens:
        return entry["value"], _version(tokens)
    missing = {k: _new_token() for k, v in tokens.items() if v is None}
    if missing:
        # add(), not set(): two requests creating the same token must agree on one.
        for k, token in missing.items():
            if not cache.add(k, token, None):
                token = cache.get(k)
            tokens[k] = token
    value = build()
    seconds = settings.ROW_CACHE_SECONDS
    if expires is not None:
        seconds = min(seconds, int(expires(value)))
    if None in tokens.values() or _in_transaction():
        return value, ""
    if seconds > 0:
        cache.set(entry_key, {"tokens": tokens, "value": value}, seconds)
    return value, _version(tokens)


def _in_transaction() -> bool:
    """Inside a transaction of our own (not the test suite's wrapper around each test)?
    Rows read there may include its own writes, which could still be rolled back: a value
    built from them is used but not stored."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _version(tokens: dict[str, str]) -> str:
    return ".".join(tokens[k] for k in sorted(tokens))


def renew(*scopes: str) -> None:
    """`scopes` changed: entries built from them are no longer served (now and on commit)."""
    if not scopes:
        return

    def write() -> None:
        cache.set_many({_token_key(s): _new_token() for s in scopes}, None)

    write()
    transaction.on_commit(write)


def renewer(scopes_of: Callable[[Any], Iterable[str]]):
    """A post_save/post_delete receiver renewing the scopes `scopes_of(instance)` names."""

    def receiver(sender, instance, **kwargs) -> None:
        renew(*scopes_of(instance))

    return receiver


def on_save_and_delete(prefix: str, pairs: Iterable[tuple[type, Callable]]) -> None:
    """Connect each (model, receiver) to post_save and post_delete, once per process
    (`prefix` names the cache, for the dispatch uids). The caches' connect() use it."""
    from django.db.models.signals import post_delete, post_save

    for model, receiver in pairs:
        uid = f"{prefix}-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-del", weak=False)
