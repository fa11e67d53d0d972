"""Reminder fan-out benchmark: N members going to one meeting, every reminder through the
real path (ledger rows, Redis, Celery workers, SMTP) into a local sink that only counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/fanout.py --members 100000 --workers 2 --concurrency 4

Use a scratch database: the script migrates it, adds its members and removes them at the end.
Not run in CI. Reports the fan-out time (ledger rows written and tasks enqueued) and the
delivery rate in messages per second, and checks that every member got exactly one email.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class CountingSink:
    """An SMTP server that accepts everything and counts recipients (no parsing: fast)."""

    def __init__(self) -> None:
        self.count = 0
        self.message_ids: set[bytes] = set()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or b""
        start = content.lower().find(b"message-id:")
        message_id = content[start : content.find(b"\n", start)] if start >= 0 else b""
        with self._lock:
            self.count += len(envelope.rcpt_tos)
            self.message_ids.add(message_id)
        return "250 OK"


def _environment(queue: str, port: int) -> None:
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"{name} is required (use a scratch database)")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="peersupport.settings",
        DEBUG="0",
        HTTPS="0",
        CELERY_QUEUE=queue,
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "b" * 50)


def _seed(members: int, run: str):
    """One group, a meeting in 23 hours (its 1-day reminder is due), `members` going."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from groups.models import Membership, Organisation, PeerGroup
    from members.models import User
    from sessions.models import Meeting, Rsvp

    org = Organisation.objects.create(name=f"Bench {run}", slug=f"bench-{run}")
    group = PeerGroup.objects.create(
        organisation=org, name=f"Bench {run}", slug=f"bench-{run}", time_zone="UTC"
    )
    starts = timezone.now() + datetime.timedelta(hours=23)
    meeting = Meeting.objects.create(
        group=group,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        time_zone="UTC",
        format=group.format,
        capacity=members,
    )
    for start in range(0, members, 5000):
        users = User.objects.bulk_create(
            User(email=f"bench{run}-{i}@example.invalid", display_name=f"B{i}", password="!")  # noqa: S106
            for i in range(start, min(start + 5000, members))
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
        )
        Membership.objects.bulk_create(
            Membership(group=group, user=u, status="active", joined_at=timezone.now())
            for u in users
        )
        Rsvp.objects.bulk_create(Rsvp(meeting=meeting, user=u, status="going") for u in users)
    return org, group, meeting


def _workers(count: int, concurrency: int, queue: str) -> list[subprocess.Popen]:
    def command(n: int) -> list[str]:
        options = f"--pool=prefork --concurrency={concurrency} --loglevel=WARNING"
        options += " --without-gossip --without-mingle"
        return [sys.executable, "-m", "celery", "-A", "peersupport", "worker", *options.split(),
                "-Q", queue, "-n", f"bench{n}-{queue}@%h"]  # fmt: skip

    return [
        subprocess.Popen(command(n), cwd=ROOT, env=dict(os.environ), start_new_session=True)
        for n in range(count)
    ]


def _wait(sink: CountingSink, target: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    while sink.count < target and time.monotonic() < deadline:
        time.sleep(0.5)
        if time.monotonic() - last >= 10:
            print(f"  … {sink.count:,} / {target:,} delivered", flush=True)
            last = time.monotonic()


def _cpu_seconds(workers: list[subprocess.Popen]) -> float:
    """CPU time used so far by the worker processes and their pools."""
    import psutil

    total = 0.0
    for process in workers:
        parent = psutil.Process(process.pid)
        for proc in [parent, *parent.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
    return total


def _cleanup(org, group, run: str) -> None:
    from members.models import User

    group.meetings.all().delete()
    User.objects.filter(email__startswith=f"bench{run}-").delete()
    group.delete()
    org.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=4, help="pool size per worker")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    from tests.fixtures.mail import free_port

    run = uuid.uuid4().hex[:6]
    queue = f"bench-fanout-{run}"
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    _environment(queue, controller.port)

    import django

    django.setup()
    # aiosmtpd logs every SMTP command at INFO: at thousands of messages a second that
    # logging, in this process, would cost more CPU than the workers being measured.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    from django.core.management import call_command

    from members.models import Delivery
    from members.reminders import reminders_fan_out

    call_command("migrate", verbosity=0)
    began = time.monotonic()
    org, group, meeting = _seed(args.members, run)
    print(f"seeded {args.members:,} members going in {time.monotonic() - began:.1f} s")
    workers = _workers(args.workers, args.concurrency, queue)
    try:
        time.sleep(5)  # let the workers connect
        cpu_before, start = _cpu_seconds(workers), time.monotonic()
        queued = reminders_fan_out(meeting_id=meeting.pk, offset=1440)
        fanned = time.monotonic() - start
        print(f"fan-out: {queued:,} ledger rows written and enqueued in {fanned:.1f} s")
        _wait(sink, args.members, args.timeout)
        took = time.monotonic() - start
        sent = Delivery.objects.filter(about_id=meeting.pk, status="sent").count()
        print(
            f"delivered {sink.count:,} emails in {took:.1f} s: "
            f"{sink.count / took:,.0f} messages/s ({args.workers} worker(s) x "
            f"{args.concurrency}); ledger sent {sent:,}; "
            f"distinct Message-IDs {len(sink.message_ids):,}"
        )
        # The machine may be shared: CPU per message says what a free core would do.
        cpu = _cpu_seconds(workers) - cpu_before
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"worker CPU {cpu:.1f} s: {cpu * 1000 / max(sink.count, 1):.2f} ms per message "
            f"(~{sink.count / cpu:,.0f} messages/s per free core); load average {load} "
            f"on {os.cpu_count()} cores"
        )
        if sink.count != args.members:
            print("MISMATCH: expected exactly one email per member", file=sys.stderr)
    finally:
        for process in workers:
            os.killpg(process.pid, signal.SIGTERM)
        for process in workers:
            process.wait(timeout=60)
        controller.stop()
        _cleanup(org, group, run)


if __name__ == "__main__":
    main()
