"""Cached output of public pages for visitors: the directory, landing pages, public feeds.

Only what an anonymous visitor without a session is shown is cached, so nothing private
can ever be handed to somebody else: a signed-in person (or anyone carrying a session or
pending messages) always gets a fresh page. Each page depends on version tokens
(`peersupport.cache`) per scope ("every public page", "the directory", "group 12",
"organisation 3's feed", named "public:..." in `peersupport.cache_scopes`, whose table
says which saves and deletes renew them), so the next visitor sees an edit at once.

A page about one object (a group's landing page, an organisation's feed) also keeps that
object, keyed by the slug in its address, so a visitor's request needs no database query:
the permission rule is still checked on every request, on the kept copy once its tokens
are proven current (the scopes a page depends on cover the object's own rows, so any save
or delete of the group or its organisation, a new slug, a new visibility, retires it).
Entries carry the tokens they were built with (read before the database was), so one
get_many fetches the object, the page and the tokens known up front, and a second one the
object's tokens: two Redis round trips, no query.

Entries also expire after settings.PUBLIC_CACHE_SECONDS (5 minutes), which keeps "next
meeting" from trailing a meeting that has started. 0 turns the cache off.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation

from peersupport import cache as shared


def shareable(request) -> bool:
    """A GET from an anonymous visitor with no session and no pending messages."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _scopes(view, obj) -> tuple[str, ...]:
    return tuple(f"public:{s}" for s in ("all", *view.public_cache_scopes(obj)))


class _Visit:
    """One shareable request's look at the cache: the page, its object, their tokens.

    `tokens` holds every token read during this request. An entry is only stored with
    tokens read before the rows in it were loaded, so an edit landing meanwhile leaves it
    with an old token (retired at the next request), never a fresh token on old rows.
    """

    def __init__(self, view, variant: str) -> None:
        name, request = view.public_cache_name, view.request
        self.view = view
        object_key = view.public_object_key()
        self.has_object = object_key is not None
        object_key = object_key or ""
        # What the page depends on besides its tokens: its object, its cleaned parameters
        # (not the raw query string, so made-up parameters don't fill the cache), zone,
        # language and htmx.
        self.page_key = "public-page:{}:{}".format(
            name,
            _digest(
                object_key,
                variant,
                timezone.get_current_timezone_name(),
                translation.get_language() or "",
                "hx" if request.headers.get("HX-Request") else "",
            ),
        )
        self.object_key = f"public-object:{name}:{_digest(object_key)}"
        # Without an object the page's scopes are known now; with one, this process most
        # likely saw them before (a guess, never trusted): read those tokens with the
        # entries, one round trip in all.
        if self.has_object:
            upfront = shared.seen(self.object_key, ("public:all",))
        else:
            upfront = _scopes(view, None)
        keys = [self.page_key, *map(shared.token_key, upfront)]
        if self.has_object:
            keys.append(self.object_key)
        found = cache.get_many(keys)
        self.page = found.get(self.page_key)
        self.object = found.get(self.object_key)
        self.tokens = {s: found.get(shared.token_key(s)) for s in upfront}
        # The second round trip: the tokens the entries were stored with.
        self._read(s for entry in (self.page, self.object) if entry for s in entry["tokens"])

    def _read(self, scopes) -> None:
        self.tokens.update(shared.read_tokens(s for s in scopes if s not in self.tokens))

    def tokens_for(self, scopes: tuple[str, ...]) -> dict[str, str]:
        """Current tokens of `scopes`: read, or created when the cache has none."""
        self.tokens.update(shared.tokens(scopes, self.tokens))
        return {s: self.tokens[s] for s in scopes}

    def current(self, entry: dict | None, scopes: tuple[str, ...] | None = None) -> bool:
        """`entry` was built with today's tokens (of exactly `scopes`, when given)."""
        if entry is None or (scopes is not None and set(entry["tokens"]) != set(scopes)):
            return False
        return shared.current(entry["tokens"], self.tokens)

    def current_object(self):
        """The page's object: the kept copy when current, else loaded (and kept)."""
        view = self.view
        if self.current(self.object):
            shared.remember(self.object_key, tuple(self.object["tokens"]))
            return self.object["object"]
        obj = view.public_object_load()
        scopes = _scopes(view, obj)
        if any(self.tokens.get(s) is None for s in scopes):
            # This object's tokens were not read before the load (a first visit, or the
            # slug now names another row): read them, then load again, so the kept copy
            # is no older than its tokens.
            self.tokens_for(scopes)
            obj = view.public_object_load()
            if _scopes(view, obj) != scopes:
                return obj  # it changed again meanwhile: use it, keep nothing
        shared.remember(self.object_key, scopes)
        entry = {"tokens": self.tokens_for(scopes), "object": obj}
        if None not in entry["tokens"].values() and not shared.in_transaction():
            cache.set(self.object_key, entry, settings.PUBLIC_CACHE_SECONDS)
        return obj


class CachedForVisitorsMixin:
    """For public views: serve and store the rendered page for shareable requests.

    Goes right after the permission mixin, so a cached page is only served once the same
    permission check as a fresh one has passed. Views set `public_cache_name` and implement
    `public_cache_scopes()` and `public_cache_variant()`. A page about one object also
    implements `public_object_key()` and `public_object_load()`, and returns
    `public_object()` as its permission object.
    """

    public_cache_name = ""

    def public_cache_scopes(self, obj: Any) -> tuple[str, ...]:
        """The page's scopes besides "all", for its object (None for a page without one).

        They must also cover the object's own rows: it is kept as long as they are current.
        """
        return ()

    def public_cache_variant(self) -> str | None:
        """The page's cleaned parameters; None: this request is not cached."""
        return ""

    def public_object_key(self) -> str | None:
        """What names the page's object in its address (its slug); None: it has none."""
        return None

    def public_object_load(self) -> Any:
        """The page's object from the database, or Http404."""
        raise NotImplementedError

    def public_visit(self) -> _Visit | None:
        """This request's look at the cache; None when it is not served from the cache."""
        if not hasattr(self, "_public_visit"):
            variant = None
            if settings.PUBLIC_CACHE_SECONDS and shareable(self.request):
                variant = self.public_cache_variant()
            self._public_visit = None if variant is None else _Visit(self, variant)
        return self._public_visit

    def public_object(self) -> Any:
        """The object for the permission check: for a visitor, the current kept copy."""
        if not hasattr(self, "_public_object"):
            visit = self.public_visit()
            load = visit.current_object if visit else self.public_object_load
            self._public_object = load()
        return self._public_object

    def dispatch(self, request, *args, **kwargs):
        visit = self.public_visit()
        if visit is None:
            return super().dispatch(request, *args, **kwargs)
        obj = self.public_object() if visit.has_object else None
        scopes = _scopes(self, obj)
        if visit.current(visit.page, scopes):
            response = HttpResponse(visit.page["content"])
            for header, value in visit.page["headers"].items():
                response[header] = value
            return response
        tokens = visit.tokens_for(scopes)  # before the page reads the database
        response = super().dispatch(request, *args, **kwargs)

        def store(rendered) -> None:
            # A page that set a cookie or carries a CSRF token belongs to one visitor.
            if (
                rendered.status_code != 200
                or rendered.cookies
                or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                or b"csrfmiddlewaretoken" in rendered.content
                or None in tokens.values()
                or shared.in_transaction()
            ):
                return
            headers = {k: v for k, v in rendered.headers.items() if k != "Content-Length"}
            entry = {"tokens": tokens, "content": rendered.content, "headers": headers}
            cache.set(visit.page_key, entry, settings.PUBLIC_CACHE_SECONDS)

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(store)
        else:
            store(response)
        return response
