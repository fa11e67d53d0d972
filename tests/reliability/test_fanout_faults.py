"""Faults during a reminder fan-out, with real processes: Celery workers on Redis, the SMTP
sink over a socket, PostgreSQL. Each test checks what members notice: everyone gets their
reminder, nobody twice, except messages a killed worker had in flight, whose repeat
carries the same Message-ID (mail clients fold the two).

- a worker SIGKILLed mid fan-out of 5,000 messages, a new worker started;
- the broker (a private redis-server) killed and restarted mid fan-out;
- the SMTP server down for a minute: retries with the real backoff, then exactly once.

The shared Redis is never restarted: the broker test runs its own redis-server.
"""

from __future__ import annotations

import collections
import datetime
import signal
import time

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone

from members.models import Delivery
from members.notifications import STAMP_EVERY, deliveries_requeue_stale
from tests.fixtures.mail import SmtpSink
from tests.fixtures.worker import service_env
from tests.reliability.conftest import report
from tests.reliability.crowds import by_recipient, meeting_with_members_going, wait_until
from tests.reliability.processes import (
    PrivateRedis,
    free_port,
    kill_worker,
    own_queue,
    start_worker,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CONCURRENCY = 2


def _rows(meeting, **filters):
    return Delivery.objects.filter(about_id=meeting.pk, kind="session_reminder", **filters)


def _queue_length(broker_url: str, queue: str) -> int:
    import redis

    client = redis.Redis.from_url(broker_url)
    try:
        return int(client.llen(queue))
    finally:
        client.close()


def _sweep_until_all_sent(meeting, total: int, *, claimed_before, broker: tuple, timeout: float):
    """What beat's sweep does every minute, without the wait: once the queue is empty
    and delivery stalls, hand back rows claimed before `claimed_before` (their worker is
    gone) and re-enqueue pending rows whose task was lost. Returns how many it re-enqueued.
    """
    requeued, last, deadline = 0, -1, time.monotonic() + timeout
    while (sent := _rows(meeting, status="sent").count()) < total:
        if time.monotonic() > deadline:
            counts = dict(collections.Counter(_rows(meeting).values_list("status", flat=True)))
            raise AssertionError(f"not every delivery was sent: {counts}")
        busy = _rows(meeting, status="sending", claimed_at__gte=claimed_before).exists()
        if sent == last and not busy and _queue_length(*broker) == 0:
            lease = timezone.now() - claimed_before
            requeued += deliveries_requeue_stale(pending_after=datetime.timedelta(0), lease=lease)
        last = sent
        time.sleep(2)
    return requeued


@pytest.fixture
def workers():
    started: list = []
    yield started
    for process in started:
        kill_worker(process, signal.SIGTERM)


# --- 1. SIGKILL of the worker mid fan-out ----------------------------------------------------
MEMBERS_KILL = 5000


def test_worker_sigkilled_mid_fan_out_of_5000_every_member_served(workers, smtp_sink):
    from sessions.reminders import reminders_fan_out

    meeting, addresses = meeting_with_members_going(MEMBERS_KILL)
    env = service_env(EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}")
    with own_queue() as queue:
        workers.append(start_worker({**env, "CELERY_QUEUE": queue}, queue, f"victim-{queue}"))
        started = time.monotonic()
        reminders_fan_out(meeting_id=meeting.pk, offset=1440)
        smtp_sink.wait_for(MEMBERS_KILL // 4, timeout=180)
        kill_worker(workers[0], signal.SIGKILL)  # no warm shutdown: as if the machine died
        killed_at = timezone.now()
        at_kill = len(smtp_sink.messages)
        # In flight: rows the dead worker had claimed and not stamped. Nothing changes
        # them now, so this is exactly what it held.
        in_flight = set(_rows(meeting, status="sending").values_list("recipient__email", flat=True))
        assert at_kill < MEMBERS_KILL, "the worker finished before it could be killed"

        workers.append(start_worker({**env, "CELERY_QUEUE": queue}, queue, f"new-{queue}"))
        requeued = _sweep_until_all_sent(
            meeting,
            MEMBERS_KILL,
            claimed_before=killed_at,
            broker=(settings.REDIS_URL, queue),
            timeout=240,
        )
        took = time.monotonic() - started
    time.sleep(1)  # let the sink finish reading the last message

    grouped = by_recipient(smtp_sink.messages)
    assert set(grouped) == addresses, f"{len(addresses - set(grouped))} members never served"
    repeats = {to: copies for to, copies in grouped.items() if len(copies) > 1}
    assert set(repeats) <= in_flight, "a message not in flight at the kill was sent twice"
    assert all(len(copies) == 2 for copies in repeats.values())
    # Sent rows are stamped every STAMP_EVERY hand-offs: that bounds the repeats.
    assert len(repeats) <= STAMP_EVERY * CONCURRENCY
    for copies in repeats.values():
        assert len({m["Message-ID"] for m in copies}) == 1, "a repeat has a new Message-ID"
    report(
        "faults",
        f"fan-out {MEMBERS_KILL}: SIGKILL after {at_kill} emails ({len(in_flight)} in flight); "
        f"delivered {len(grouped)}, lost 0, duplicated {len(repeats)} (in flight at kill), "
        f"same Message-ID; sweep re-enqueued {requeued}; {took:.0f} s",
    )


# --- 2. The broker restarted mid fan-out --------------------------------------------------------
MEMBERS_REDIS = 1000


def test_redis_restarted_mid_fan_out_every_member_served_once(workers, smtp_sink, tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    try:
        meeting, addresses = meeting_with_members_going(MEMBERS_REDIS)
        env = service_env(EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}", REDIS_URL=redis.url)
        with own_queue(broker_url=redis.url) as queue:
            env["CELERY_QUEUE"] = queue
            workers.append(start_worker(env, queue, f"broker-{queue}"))
            from sessions.reminders import reminders_fan_out

            reminders_fan_out(meeting_id=meeting.pk, offset=1440)
            smtp_sink.wait_for(MEMBERS_REDIS // 5, timeout=180)
            # A crash, not a clean shutdown: only what the append-only file holds survives.
            redis.stop(signal.SIGKILL)
            at_restart = len(smtp_sink.messages)
            time.sleep(3)  # the worker notices and keeps trying to reconnect
            redis.start()
            restarted_at = timezone.now()
            # Celery sometimes gives up on a lost Redis connection ("Unrecoverable error",
            # a known Celery/kombu bug) and exits; in production systemd restarts it. The
            # test plays that supervisor, and then allows repeats of what was in flight.
            in_flight: set[str] = set()

            def resumed() -> bool:
                if workers[-1].poll() is not None:
                    in_flight.update(
                        _rows(meeting, status="sending").values_list("recipient__email", flat=True)
                    )
                    workers.append(start_worker(env, queue, f"broker-again-{queue}"))
                return _rows(meeting, status="sent").count() > at_restart + 50

            # Queued tasks came back from the append-only file; tasks the worker had
            # reserved were dropped with its connection: the ledger sweep re-enqueues those.
            wait_until(resumed, 120, "the worker to resume after the restart")
            requeued = _sweep_until_all_sent(
                meeting,
                MEMBERS_REDIS,
                claimed_before=restarted_at,
                broker=(redis.url, queue),
                timeout=180,
            )
        time.sleep(1)
    finally:
        for process in workers:
            kill_worker(process, signal.SIGTERM)
        redis.stop()

    grouped = by_recipient(smtp_sink.messages)
    assert set(grouped) == addresses, f"{len(addresses - set(grouped))} members never served"
    # Only a worker that died can repeat, and only what it held, with the same Message-ID.
    repeats = {to: copies for to, copies in grouped.items() if len(copies) > 1}
    assert set(repeats) <= in_flight, "a message not in flight was sent twice"
    for copies in repeats.values():
        assert len({m["Message-ID"] for m in copies}) == 1, "a repeat has a new Message-ID"
    worker_restarts = len(workers) - 1
    report(
        "faults",
        f"Redis killed and restarted after {at_restart} of {MEMBERS_REDIS} emails: "
        f"delivered {len(grouped)}, lost 0, duplicated {len(repeats)}; sweep re-enqueued "
        f"{requeued}; worker restarted by the test as a supervisor would: {worker_restarts}",
    )


# --- 3. SMTP down for a minute ---------------------------------------------------------------
MEMBERS_SMTP = 200
SMTP_DOWN = 60  # seconds


def test_smtp_down_for_a_minute_retries_with_backoff_then_delivers_once(workers):
    sink, port = SmtpSink(), free_port()
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    meeting, addresses = meeting_with_members_going(MEMBERS_SMTP)
    env = service_env(
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        DJANGO_SETTINGS_MODULE="tests.reliability.worker_settings",  # backoff from 1 s
    )
    try:
        with own_queue() as queue:
            env["CELERY_QUEUE"] = queue
            workers.append(start_worker(env, queue, f"smtp-{queue}"))
            from sessions.reminders import reminders_fan_out

            reminders_fan_out(meeting_id=meeting.pk, offset=1440)
            sink.wait_for(MEMBERS_SMTP // 6, timeout=120)
            server.stop()  # the mail server goes away mid fan-out
            down_at, before = time.monotonic(), len(sink.messages)
            wait_until(lambda: _rows(meeting, status="failed").exists(), 60, "a failure")
            time.sleep(max(0.0, SMTP_DOWN - (time.monotonic() - down_at)))
            failed_during = _rows(meeting, status="failed").count()
            retried = _rows(meeting, attempts__gt=1).count()
            server = Controller(sink, hostname="127.0.0.1", port=port)  # same port
            server.start()
            back_at = time.monotonic()
            sink.wait_for(MEMBERS_SMTP, timeout=150)
            recovered = time.monotonic() - back_at
            wait_until(
                lambda: _rows(meeting, status="sent").count() == MEMBERS_SMTP, 60, "every stamp"
            )
            time.sleep(2)  # any duplicate would arrive now
    finally:
        server.stop()

    grouped = by_recipient(sink.messages)
    assert set(grouped) == addresses
    assert all(len(copies) == 1 for copies in grouped.values()), "someone got two"
    assert failed_during > 0 and retried > 0, "nothing was retried while the server was down"
    most = max(_rows(meeting).values_list("attempts", flat=True))
    assert most >= 4, "the backoff did not keep retrying through the minute"
    report(
        "faults",
        f"SMTP down {SMTP_DOWN} s after {before} of {MEMBERS_SMTP} emails: {failed_during} rows "
        f"failed and retried with backoff (up to {most} attempts); delivered {len(grouped)} "
        f"exactly once, {recovered:.0f} s after it returned",
    )
