"""Periodic work of the group space (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from space.services import notices
from space.services.retention import posts_purge


@shared_task
def send_space_digests() -> int:
    """Yesterday's replies (UTC day), one email per member: a rerun the same day, or a
    retry, finds each ledger row already written and sends nothing twice."""
    today = timezone.now().astimezone(datetime.UTC).date()
    start = datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.UTC)
    return notices.digests_send(day=today, since=start - datetime.timedelta(days=1), until=start)


@shared_task
def purge_old_posts() -> int:
    return posts_purge()
