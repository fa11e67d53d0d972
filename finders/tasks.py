"""Background work of meeting finders: reading other organisations' feeds."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from finders import services
from finders.models import FeedSource

BATCH = 200


@shared_task
def fetch_due_feeds() -> int:
    """Hourly: each feed not read for 12 hours is stamped and read (a rerun finds none due)."""
    now = timezone.now()
    due = FeedSource.objects.due(now=now).order_by("fetched_at", "pk")
    ids = list(due.values_list("pk", flat=True)[:BATCH])
    FeedSource.objects.filter(pk__in=ids).due(now=now).update(fetched_at=now)
    claimed = FeedSource.objects.filter(pk__in=ids, fetched_at=now).values_list("pk", flat=True)
    claimed = list(claimed)
    for pk in claimed:
        fetch_feed_source.delay(pk)
    return len(claimed)


@shared_task(soft_time_limit=120, time_limit=150)
def fetch_feed_source(source_id: int) -> bool:
    """Read one feed (its own timeout and size limit apply inside)."""
    source = FeedSource.objects.filter(pk=source_id).first()
    return source is not None and services.feed_import(source=source)
