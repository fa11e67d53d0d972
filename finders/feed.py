"""The public feed as a kind of entry of the one cache mechanism (`peersupport.cache`).

The finished JSON is kept under the tokens of "public:all" (every organisation's row),
"public:directory" (every group's row and meetings: `peersupport.cache_scopes`) and, for
one organisation's feed, "public:organisation:<id>", so a change of a listed group, its
meetings or its organisation is in the next answer. It is the same for everyone: it holds
only what the export publishes. Each entry keeps the moment it was built (Last-Modified)
and its digest (ETag), so a finder asking again gets a 304 without a query.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from finders import export
from peersupport import cache as shared


def _scopes(organisation) -> tuple[str, ...]:
    scopes = ("public:all", "public:directory")
    if organisation is not None:
        scopes += (f"public:organisation:{organisation.pk}",)
    return scopes


def _build(organisation) -> dict:
    records = export.feed_records(organisation)
    # Compact: finders parse it, nobody reads it by eye, and every byte is sent, kept in
    # the cache and read back on each request (indented, it was a third larger).
    body = json.dumps(
        records, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return {
        "body": body,
        "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        "built": timezone.now().timestamp(),
    }


def feed_entry(organisation=None) -> dict:
    """{"body", "etag", "built"}: from the cache while current, else built (and kept)."""
    key = f"finders:feed:{organisation.pk if organisation else 'all'}"
    return shared.fetch(
        key,
        _scopes(organisation),
        lambda: _build(organisation),
        seconds=settings.PUBLIC_CACHE_SECONDS,
    )


def feed_response(request, organisation=None) -> HttpResponse:
    """200 with the feed, or 304 when the finder's copy (ETag / Last-Modified) is current."""
    entry = feed_entry(organisation)
    built = int(entry["built"])
    response = get_conditional_response(request, etag=entry["etag"], last_modified=built)
    if response is None:
        response = HttpResponse(entry["body"], content_type="application/json; charset=utf-8")
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(built)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
    return response
