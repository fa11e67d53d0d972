"""`manage.py notifications_status`: how long the queue is and which messages are stuck."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count

from members.models import Delivery

UNFINISHED = [Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.FAILED]


def queue_depth() -> int | None:
    """Messages waiting in the Celery queue (a Redis list), or None on another broker."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        return int(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))
    finally:
        client.close()


class Command(BaseCommand):
    help = "Show the Celery queue depth and the notification ledger's failed or pending rows."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20, help="rows to list (default 20)")

    def handle(self, *args, limit: int, **options):
        depth = queue_depth()
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        shown = "unknown (not a Redis broker)" if depth is None else str(depth)
        self.stdout.write(f"Celery queue {queue!r}: {shown} waiting")
        counts = dict(
            Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        )
        self.stdout.write(
            "Ledger: " + ", ".join(f"{s} {counts.get(s, 0)}" for s in Delivery.Status.values)
        )
        rows = (
            Delivery.objects.filter(status__in=UNFINISHED)
            .order_by("status", "created_at")
            .only("pk", "kind", "recipient_id", "status", "attempts", "created_at", "last_error")
        )[:limit]
        if not rows:
            self.stdout.write("No failed or pending deliveries.")
            return
        self.stdout.write(f"Oldest failed, pending or sending (up to {limit}):")
        for row in rows:
            error = " ".join(row.last_error.split())[:120]
            self.stdout.write(
                f"  #{row.pk} {row.status} {row.kind} to account {row.recipient_id}, "
                f"{row.attempts} attempt(s), queued {row.created_at:%Y-%m-%d %H:%M} UTC"
                + (f": {error}" if error else "")
            )
