"""Writes about imported feeds: add and remove a source, import a feed (all or nothing),
record a failure and warn the organizers once it has lasted WARN_AFTER."""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from finders import fetch, spec
from finders.models import WARN_AFTER, FeedSource
from groups.models import Organisation, OrganisationRole
from members.notifications import notify
from peersupport.errors import DomainError


def meeting_from_record(record: dict) -> dict:
    """What the directory shows of one valid record: plain text, known codes, no link
    into the meeting itself (people follow `url` to the organisation's own page)."""
    day = record.get("day")
    days = day if isinstance(day, list) else ([] if day is None else [day])
    address = record.get("formatted_address") or ", ".join(
        str(record[f]) for f in ("address", "city", "state") if record.get(f)
    )
    url = record.get("url") or record.get("entity_website_url") or ""
    return {
        "slug": str(record["slug"]),
        "name": spec.plain_text(record["name"], spec.MAX_NAME),
        "days": sorted(set(days)),
        "time": record.get("time", ""),
        "end_time": record.get("end_time", ""),
        "timezone": record.get("timezone", ""),
        "address": spec.plain_text(address, 200),
        "online": bool(record.get("conference_url") or record.get("conference_phone")),
        "types": sorted(t for t in set(record.get("types", [])) if t in spec.TYPE_CODES),
        "url": url if url.startswith(("https://", "http://")) else "",
        "entity": spec.plain_text(record.get("entity", ""), 120),
        "notes": spec.plain_text(record.get("notes", ""), 300),
    }


def feed_parse(raw: bytes) -> list[dict]:
    """The meetings of a feed's body, each checked against the specification, or
    FetchError naming the first problems: nothing is kept from a feed with any."""
    try:
        data = json.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError):
        raise fetch.FetchError(_("The feed is not valid JSON.")) from None
    if isinstance(data, list) and len(data) > settings.FINDER_FEED_MAX_MEETINGS:
        raise fetch.FetchError(
            _("The feed lists more than %(n)d meetings.") % {"n": settings.FINDER_FEED_MAX_MEETINGS}
        )
    problems = spec.feed_errors(data)
    if problems:
        raise fetch.FetchError(" ".join(problems[:5]))
    return [meeting_from_record(record) for record in data]


def source_add(*, organisation: Organisation, name: str, url: str, actor) -> FeedSource:
    """A new feed to read; its first import runs at once in the background."""
    fetch.url_check(url)
    try:
        with transaction.atomic():
            source = FeedSource.objects.create(
                organisation=organisation, name=name, url=url, added_by=actor
            )
    except IntegrityError:
        raise DomainError(_("Your organisation already reads this feed.")) from None
    from finders.tasks import fetch_feed_source  # the task calls this module

    transaction.on_commit(lambda: fetch_feed_source.delay(source.pk))
    return source


def source_remove(*, source: FeedSource) -> None:
    source.delete()


def feed_import(*, source: FeedSource, raw: bytes | None = None, now=None) -> bool:
    """Read the feed (or `raw`, its body already in hand) and keep its meetings if every
    record is valid; else keep the last good copy and record why. True when imported."""
    now = now or timezone.now()
    try:
        meetings, problem = feed_parse(fetch.fetch(source.url) if raw is None else raw), ""
    except fetch.FetchError as error:
        meetings, problem = None, error.message
    # Read (slowly, from the network) outside the transaction; stored under the row's lock.
    with transaction.atomic():
        source = FeedSource.objects.select_for_update().filter(pk=source.pk).first()
        if source is None:
            return False  # removed meanwhile
        if meetings is None:
            _failed(source, problem, now)
            return False
        _store(source, meetings, now)
    return True


def _store(source: FeedSource, meetings: list[dict], now: datetime.datetime) -> None:
    source.meetings, source.meeting_count = meetings, len(meetings)
    source.imported_at = source.fetched_at = now
    source.last_error, source.failing_since, source.warned_at = "", None, None
    source.save()


def _failed(source: FeedSource, message: str, now: datetime.datetime) -> None:
    """Keep the last good copy; after WARN_AFTER of failures, tell the organizers once."""
    source.fetched_at, source.last_error = now, message
    source.failing_since = source.failing_since or now
    if now - source.failing_since >= WARN_AFTER and source.warned_at is None:
        source.warned_at = now
        slug = Organisation.objects.values_list("slug", flat=True).get(pk=source.organisation_id)
        manage_url = settings.SITE_URL + reverse("finders:manage", args=[slug])
        organizers = OrganisationRole.objects.filter(
            organisation_id=source.organisation_id, role=OrganisationRole.Role.ORGANIZER
        ).select_related("user")
        for role in organizers:
            notify(
                kind="finder_feed_failing",
                recipient=role.user,
                about=source,
                key=source.failing_since.isoformat(),
                context={"error": message, "manage_url": manage_url},
            )
    source.save()
