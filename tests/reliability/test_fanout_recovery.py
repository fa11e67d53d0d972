"""Recovery after a crash, with real processes: one Celery pool process SIGKILLed while it
holds a batch of reminders, and beat's sweep on its own schedule (the test runs it when
beat would). The lease is shortened for the test (`tests.reliability.worker_settings`);
the mechanism is the production one.

What members notice: everyone gets their reminder; a repeat (a message the dead process
had handed to SMTP but not stamped) carries the same Message-ID as its first copy, and
there are no more repeats than the README promises (STAMP_EVERY per killed process); what
the dead process held goes out within a minute of its lease ending.
"""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest
from django.conf import settings

from members.models import Delivery
from members.notifications import BATCH, STAMP_EVERY
from members.tasks import requeue_stale_notifications
from tests.fixtures.worker import service_env
from tests.reliability.conftest import report
from tests.reliability.crowds import by_recipient, meeting_with_members_going, wait_until
from tests.reliability.processes import kill_worker, own_queue, start_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MEMBERS = 600
LEASE = 20  # seconds: NOTIFICATION_SENDING_LEASE_SECONDS in tests.reliability.worker_settings
SWEEP = settings.CELERY_BEAT_SCHEDULE["notifications-sweep"]["schedule"]
SLACK = 15  # seconds to send what the sweep re-queued, on a shared machine


def _sending_pool_process(worker, smtp_port: int) -> psutil.Process:
    """A pool process of `worker` with an SMTP connection open: it is mid-batch (it opens
    the connection for its batch's first message and closes it after the last)."""
    found: list[psutil.Process] = []

    def holding_smtp() -> bool:
        for child in psutil.Process(worker.pid).children():
            try:
                if any(c.raddr and c.raddr.port == smtp_port for c in child.net_connections()):
                    found.append(child)
                    return True
            except psutil.Error:
                continue
        return False

    wait_until(holding_smtp, 30, "a pool process mid-batch")
    return found[0]


def _sweep_on_schedule(meeting, first_sweep: float, deadline: float) -> tuple[int, float]:
    """Run the sweep every SWEEP seconds from `first_sweep` (as beat does, whatever the
    kill's timing) until every row is sent; returns how many it re-queued and when the
    last row was stamped sent."""
    requeued, next_sweep = 0, first_sweep
    rows = Delivery.objects.filter(about_id=meeting.pk, kind="session_reminder")
    while rows.exclude(status="sent").exists():
        assert time.monotonic() < deadline, f"not all sent in time: {_statuses(rows)}"
        if time.monotonic() >= next_sweep:
            requeued += requeue_stale_notifications()
            next_sweep += SWEEP
        time.sleep(0.5)
    return requeued, time.monotonic()


def _statuses(rows) -> dict[str, int]:
    statuses: dict[str, int] = {}
    for status in rows.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def test_pool_process_killed_mid_batch_its_rows_go_out_after_the_lease(smtp_sink, settings):
    from sessions.reminders import reminders_fan_out

    settings.NOTIFICATION_SENDING_LEASE_SECONDS = LEASE  # the sweep here, as in the worker
    meeting, addresses = meeting_with_members_going(MEMBERS)
    env = service_env(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}",
        DJANGO_SETTINGS_MODULE="tests.reliability.worker_settings",
    )
    with own_queue() as queue:
        worker = start_worker({**env, "CELERY_QUEUE": queue}, queue, f"recovery-{queue}")
        try:
            first_sweep = time.monotonic()  # beat's phase has nothing to do with the kill
            reminders_fan_out(meeting_id=meeting.pk, offset=1440)
            smtp_sink.wait_for(MEMBERS // 6, timeout=180)
            victim = _sending_pool_process(worker, smtp_sink.port)
            os.kill(victim.pid, signal.SIGKILL)  # the main process lives on and replaces it
            killed = time.monotonic()
            at_kill = len(smtp_sink.messages)
            # Claimed and not stamped at the kill: the dead process's batch (and whatever
            # the other process holds, which it stamps as usual).
            in_flight = set(
                Delivery.objects.filter(about_id=meeting.pk, status="sending").values_list(
                    "recipient__email", flat=True
                )
            )
            deadline = killed + LEASE + SWEEP + SLACK
            requeued, done = _sweep_on_schedule(meeting, first_sweep, deadline)
        finally:
            kill_worker(worker, signal.SIGTERM)
    time.sleep(1)  # let the sink finish reading the last message

    grouped = by_recipient(smtp_sink.messages)
    assert set(grouped) == addresses, f"{len(addresses - set(grouped))} members never served"
    repeats = {to: copies for to, copies in grouped.items() if len(copies) > 1}
    assert set(repeats) <= in_flight, "a message not in flight at the kill was sent twice"
    assert all(len(copies) == 2 for copies in repeats.values())
    for to, copies in grouped.items():
        assert len({m["Message-ID"] for m in copies}) == 1, f"{to}: a repeat with a new id"
    assert len(repeats) <= STAMP_EVERY, "more repeats than the README's bound"
    # The dead process held its batch: the sweep re-queued it, and only it.
    assert 0 < requeued <= BATCH
    report(
        "faults",
        f"fan-out {MEMBERS}: pool process SIGKILLed mid-batch after {at_kill} emails; "
        f"sweep (every {SWEEP} s) re-queued {requeued} rows after the {LEASE} s lease; "
        f"all sent {done - killed:.0f} s after the kill; delivered {len(grouped)}, "
        f"lost 0, repeated {len(repeats)} (bound {STAMP_EVERY}), same Message-ID",
    )
