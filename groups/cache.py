"""Cached output of public pages for visitors: the directory, landing pages, public feeds.

Only what an anonymous visitor without a session is shown is cached, so nothing private
can ever be handed to somebody else: a signed-in person (or anyone carrying a session or
pending messages) always gets a fresh page. Keys hold a version token per scope ("every
public page", "the directory", "group 12", "organisation 3's feed"); saving or deleting a
row that feeds a page replaces the token (again once the transaction commits), so the next
visitor sees the edit at once. Versions are random tokens, not counters, so a token evicted from
the cache can never come back and revive pages from before an edit.

Bulk `.update()` calls send no signal: entries also expire after
settings.PUBLIC_CACHE_SECONDS (5 minutes), which bounds staleness and keeps "next meeting"
from trailing a meeting that has started. 0 turns the cache off (the test suite does, as
its tests look at how pages are built; tests/performance/test_public_cache.py turns it on).
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation


def _version_key(scope: str) -> str:
    return f"public-version:{scope}"


def versions(*scopes: str) -> str:
    """The current tokens of `scopes` (a missing token is created)."""
    keys = [_version_key(s) for s in scopes]
    found = cache.get_many(keys)
    missing = {k: uuid.uuid4().hex[:12] for k in keys if k not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return ".".join(found[k] for k in keys)


def invalidate(*scopes: str) -> None:
    """Give `scopes` new tokens now and again once the transaction commits.

    Now: this transaction's own later reads (and tests, which never commit) see the edit.
    After commit: a visitor who rendered the old rows meanwhile can't keep them cached.
    """

    def renew() -> None:
        cache.set_many({_version_key(s): uuid.uuid4().hex[:12] for s in scopes}, None)

    renew()
    transaction.on_commit(renew)


def shareable(request) -> bool:
    """A GET from an anonymous visitor with no session and no pending messages."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def page_key(name: str, scopes: tuple[str, ...], variant: str, request) -> str:
    """What the page depends on: its scopes' versions, its cleaned parameters (not the raw
    query string, so made-up parameters don't fill the cache), zone, language and htmx."""
    parts = [
        versions("all", *scopes),
        variant,
        timezone.get_current_timezone_name(),
        translation.get_language() or "",
        "hx" if request.headers.get("HX-Request") else "",
    ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"public-page:{name}:{digest}"


class CachedForVisitorsMixin:
    """For public views: serve and store the rendered page for shareable requests.

    Goes right after the permission mixin, so a cached page is only served once the same
    permission check as a fresh one has passed. Views set `public_cache_name` and
    implement `public_cache_scopes()` and `public_cache_variant()`.
    """

    public_cache_name = ""

    def public_cache_scopes(self) -> tuple[str, ...]:
        return ()

    def public_cache_variant(self) -> str | None:
        """The page's cleaned parameters; None: this request is not cached."""
        return ""

    def dispatch(self, request, *args, **kwargs):
        seconds = settings.PUBLIC_CACHE_SECONDS
        variant = self.public_cache_variant() if seconds and shareable(request) else None
        if variant is None:
            return super().dispatch(request, *args, **kwargs)
        key = page_key(self.public_cache_name, self.public_cache_scopes(), variant, request)
        hit = cache.get(key)
        if hit is not None:
            response = HttpResponse(hit["content"])
            for header, value in hit["headers"].items():
                response[header] = value
            return response
        response = super().dispatch(request, *args, **kwargs)

        def store(rendered) -> None:
            # A page that set a cookie or carries a CSRF token belongs to one visitor.
            if (
                rendered.status_code != 200
                or rendered.cookies
                or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                or b"csrfmiddlewaretoken" in rendered.content
            ):
                return
            headers = {k: v for k, v in rendered.headers.items() if k != "Content-Length"}
            cache.set(key, {"content": rendered.content, "headers": headers}, seconds)

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(store)
        else:
            store(response)
        return response


# --- What invalidates what -----------------------------------------------------------------
def _on_organisation(sender, instance, **kwargs) -> None:
    # Organisation names show on every card and landing page, and head its feed.
    invalidate("all", f"organisation:{instance.pk}")


def _on_group(sender, instance, **kwargs) -> None:
    invalidate("directory", f"group:{instance.pk}")


def _on_meeting(sender, instance, **kwargs) -> None:
    # The directory card and the landing page show the next meeting.
    invalidate("directory", f"group:{instance.group_id}")


def _on_membership(sender, instance, **kwargs) -> None:
    # A landing page says when a group is full (active members against its limit).
    invalidate(f"group:{instance.group_id}")


def _on_event(sender, instance, **kwargs) -> None:
    invalidate(f"organisation:{instance.organisation_id}")


def _on_event_rsvp(sender, instance, **kwargs) -> None:
    invalidate(f"organisation:{instance.event.organisation_id}")


def connect() -> None:
    """Called from GroupsConfig.ready, so web servers, workers and commands all invalidate."""
    from groups.models import Membership, Organisation, PeerGroup
    from sessions.models import CommunityEvent, EventRsvp, Meeting

    pairs = [
        (Organisation, _on_organisation),
        (PeerGroup, _on_group),
        (Meeting, _on_meeting),
        (Membership, _on_membership),
        (CommunityEvent, _on_event),
        (EventRsvp, _on_event_rsvp),
    ]
    for model, receiver in pairs:
        uid = f"public-cache-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-del")
