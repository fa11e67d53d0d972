"""Evidence for "exactly once": a real Celery worker on Redis, real SMTP (aiosmtpd), real kills.

- a reminder fan-out to 1,000 members delivers exactly 1,000 emails; beat firing again and
  tasks delivered again send nothing more;
- SIGKILL of the worker mid fan-out, then a new worker and the sweep: every recipient is
  served, and the only repeats are messages in flight at the kill (claimed, handed to SMTP,
  not stamped yet: at most STAMP_EVERY per worker process), with the same Message-ID.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from members.models import Delivery
from members.notifications import STAMP_EVERY, deliveries_requeue_stale
from members.tasks import deliver_notification
from sessions.tasks import send_due_reminders
from tests.fixtures.worker import service_env
from tests.reliability.crowds import by_recipient, meeting_with_members_going, wait_until

pytestmark = pytest.mark.worker

CONCURRENCY = 2


def test_fan_out_to_1000_members_sends_exactly_1000_emails(celery_worker, smtp_sink):
    meeting, addresses = meeting_with_members_going(1000)
    send_due_reminders.delay()
    send_due_reminders.delay()  # beat fired twice
    messages = smtp_sink.wait_for(1000, timeout=300)
    grouped = by_recipient(messages)
    assert set(grouped) == addresses
    assert all(len(copies) == 1 for copies in grouped.values())
    wait_until(
        lambda: not Delivery.objects.exclude(status="sent").exists(), 60, "every row stamped"
    )
    # Deliveries run again (a retry, a redelivery, beat once more) send nothing.
    send_due_reminders.delay()
    for row in Delivery.objects.filter(about_id=meeting.pk)[:50]:
        deliver_notification.delay(row.pk)
    time.sleep(5)
    assert len(smtp_sink.messages) == 1000
    assert Delivery.objects.filter(about_id=meeting.pk, status="sent").count() == 1000


# --- SIGKILL mid fan-out ------------------------------------------------------------------
def _start_worker(queue: str, port: int, name: str) -> subprocess.Popen:
    env = service_env(EMAIL_URL=f"smtp://127.0.0.1:{port}", CELERY_QUEUE=queue)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "peersupport", "worker", "--pool=prefork",
         f"--concurrency={CONCURRENCY}", "--loglevel=WARNING", "--without-gossip",
         "--without-mingle", "-Q", queue, "-n", f"{name}@%h"],
        env=env,
        start_new_session=True,  # its own process group: one killpg takes the pool too
    )  # fmt: skip


def _queue_length(queue: str) -> int:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        return int(client.llen(queue))
    finally:
        client.close()


@pytest.fixture
def own_queue(transactional_db, smtp_sink):
    """Tasks go over Redis to a queue only the workers this test starts listen to."""
    from peersupport.celery import app

    queue = f"pstest-kill-{uuid.uuid4().hex[:8]}"
    app.conf.task_always_eager = False
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    workers: list[subprocess.Popen] = []
    yield queue, workers
    app.conf.task_default_queue = previous
    app.conf.task_always_eager = True
    for process in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_sigkill_mid_fan_out_then_a_new_worker_serves_everyone(own_queue, smtp_sink):
    queue, workers = own_queue
    meeting, addresses = meeting_with_members_going(1000)
    workers.append(_start_worker(queue, smtp_sink.port, "victim"))
    send_due_reminders.delay()
    smtp_sink.wait_for(200, timeout=180)
    os.killpg(workers[0].pid, signal.SIGKILL)  # no warm shutdown: as if the machine died
    workers[0].wait(timeout=30)
    killed_at = timezone.now()
    at_kill = len(smtp_sink.messages)
    assert at_kill < 1000, "the worker finished before it could be killed"
    # In flight: rows the dead worker had claimed and not stamped (nothing changes them now).
    in_flight = set(
        Delivery.objects.filter(about_id=meeting.pk, status="sending").values_list(
            "recipient__email", flat=True
        )
    )

    workers.append(_start_worker(queue, smtp_sink.port, "survivor"))
    wait_until(lambda: _queue_length(queue) == 0, 300, "the new worker to drain the queue")
    wait_until(
        lambda: (
            not Delivery.objects.filter(about_id=meeting.pk, status="sending")
            .filter(claimed_at__gte=killed_at)
            .exists()
        ),
        60,
        "the new worker to finish what it holds",
    )
    # What the killed worker held is stuck `sending` (or hidden in Redis as unacked for
    # the visibility timeout). The periodic sweep hands it back; here with no wait, and
    # only rows claimed before the kill (the new worker's are its own).
    deliveries_requeue_stale(pending_after=datetime.timedelta(0), lease=timezone.now() - killed_at)
    wait_until(
        lambda: Delivery.objects.filter(about_id=meeting.pk, status="sent").count() == 1000,
        120,
        "every delivery to be stamped sent",
    )
    time.sleep(2)
    grouped = by_recipient(smtp_sink.messages)
    assert set(grouped) == addresses, "someone was never served"
    repeats = {to: copies for to, copies in grouped.items() if len(copies) > 1}
    assert set(repeats) <= in_flight, "a message not in flight at the kill was sent twice"
    # Sent rows are stamped every STAMP_EVERY hand-offs, so each worker process can repeat
    # at most that many.
    assert len(repeats) <= STAMP_EVERY * CONCURRENCY, f"{len(repeats)} repeats"
    for copies in repeats.values():
        assert len({m["Message-ID"] for m in copies}) == 1, "a repeat has a new Message-ID"
    print(f"killed after {at_kill} emails; {len(repeats)} repeated (same Message-ID)")
