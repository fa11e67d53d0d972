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
import asyncio
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
    """An SMTP server that accepts everything and counts recipients (no parsing: fast).

    aiosmtpd does not offer PIPELINING; with `pipelining` its EHLO answer offers it, as
    production relays do (aiosmtpd reads commands in order from its stream, so it answers
    pipelined ones correctly)."""

    def __init__(self, pipelining: bool = False) -> None:
        self.pipelining = pipelining
        self.count = 0
        self.message_ids: set[bytes] = set()
        self._lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or b""
        start = content.lower().find(b"message-id:")
        message_id = content[start : content.find(b"\n", start)] if start >= 0 else b""
        with self._lock:
            self.count += len(envelope.rcpt_tos)
            self.message_ids.add(message_id)
        return "250 OK"


class _LeanSession(asyncio.Protocol):
    """One SMTP client's session: the commands smtplib sends, answered without parsing."""

    def __init__(self, sink: LeanSink) -> None:
        self.sink, self.buffer, self.rcpts, self.in_data = sink, b"", 0, False

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.in_data:
                # The message ends at a line holding only ".": "\r\n.\r\n", or ".\r\n"
                # when DATA's body is empty.
                end = (b"\r\n" + self.buffer).find(b"\r\n.\r\n")  # its index - 2 here
                if end < 0:
                    return
                self.sink.received(self.buffer[: max(end - 2, 0)], self.rcpts)
                self.buffer = self.buffer[end + 3 :]
                self.in_data, self.rcpts = False, 0
                self.transport.write(b"250 OK\r\n")
                continue
            line, found, rest = self.buffer.partition(b"\r\n")
            if not found:
                return
            self.buffer = rest
            verb = line[:4].upper()
            self.transport.write(self._answer(verb))
            if verb == b"QUIT":
                self.transport.close()  # after the answer: close() flushes it first
                return

    def _answer(self, verb: bytes) -> bytes:
        if verb == b"EHLO":
            return b"250-sink\r\n250 8BITMIME\r\n"
        if verb == b"RCPT":
            self.rcpts += 1
        elif verb == b"DATA":
            self.in_data = True
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        elif verb in (b"MAIL", b"RSET"):
            self.rcpts = 0
        elif verb == b"QUIT":
            return b"221 Bye\r\n"
        return b"250 OK\r\n"


class LeanSink:
    """A minimal SMTP server in a thread, for measuring the workers rather than the sink:
    it speaks the part of SMTP smtplib uses (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
    QUIT), counts recipients and keeps Message-IDs, at a fraction of aiosmtpd's CPU."""

    def __init__(self) -> None:
        self.count = 0
        self.message_ids: set[bytes] = set()
        self.loop = asyncio.new_event_loop()
        self.server = self.loop.run_until_complete(
            self.loop.create_server(lambda: _LeanSession(self), "127.0.0.1", 0)
        )
        self.port = self.server.sockets[0].getsockname()[1]
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def received(self, content: bytes, rcpts: int) -> None:
        start = content.lower().find(b"message-id:")
        self.message_ids.add(content[start : content.find(b"\r\n", start)] if start >= 0 else b"")
        self.count += rcpts  # only the loop's thread writes it

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


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


def _seed(members: int, run: str, per_meeting: int):
    """One group, meetings in 23 hours (their 1-day reminders are due), `members` going,
    at most `per_meeting` to a meeting (a meeting's capacity is a small integer)."""
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
    meetings = [
        Meeting.objects.create(
            group=group,
            starts_at=starts + datetime.timedelta(minutes=n),
            ends_at=starts + datetime.timedelta(minutes=90 + n),
            time_zone="UTC",
            format=group.format,
            capacity=min(per_meeting, members - n * per_meeting),
        )
        for n in range(-(-members // per_meeting))
    ]
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
        Rsvp.objects.bulk_create(
            Rsvp(meeting=meetings[(start + i) // per_meeting], user=u, status="going")
            for i, u in enumerate(users)
        )
    return org, group, meetings


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


def _own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


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
    parser.add_argument(
        "--per-meeting", type=int, default=25_000, help="members going to each meeting"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the rows (then drop the scratch database: deleting 100,000 accounts "
        "one by one through the ORM, with every receiver, takes many minutes)",
    )
    parser.add_argument(
        "--sink",
        choices=["aiosmtpd", "lean"],
        default="aiosmtpd",
        help="the SMTP server receiving the mail (lean: a minimal one that costs less CPU)",
    )
    parser.add_argument(
        "--pipelining",
        action="store_true",
        help="the aiosmtpd sink offers PIPELINING (RFC 2920), as production relays do",
    )
    args = parser.parse_args()

    run = uuid.uuid4().hex[:6]
    queue = f"bench-fanout-{run}"
    if args.sink == "lean":
        sink = controller = LeanSink()
        port = sink.port
    else:
        from aiosmtpd.controller import Controller

        from tests.fixtures.mail import free_port

        sink = CountingSink(pipelining=args.pipelining)
        controller = Controller(sink, hostname="127.0.0.1", port=free_port())
        port = controller.port
    controller.start()
    _environment(queue, port)

    import django

    django.setup()
    # aiosmtpd logs every SMTP command at INFO: at thousands of messages a second that
    # logging, in this process, would cost more CPU than the workers being measured.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    from django.core.management import call_command

    from members.models import Delivery
    from sessions.reminders import reminders_fan_out

    call_command("migrate", verbosity=0)
    began = time.monotonic()
    org, group, meetings = _seed(args.members, run, args.per_meeting)
    # Statistics, as autovacuum keeps them on a live database: rows loaded a second ago
    # are unknown to the planner, which then reads a meeting's every RSVP for each batch's
    # "still going?" check (340 ms a batch instead of 1 ms, measured).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {args.members:,} members going in {time.monotonic() - began:.1f} s")
    workers = _workers(args.workers, args.concurrency, queue)
    try:
        time.sleep(5)  # let the workers connect
        cpu_before, start = _cpu_seconds(workers), time.monotonic()
        queued = sum(reminders_fan_out(meeting_id=m.pk, offset=1440) for m in meetings)
        fanned = time.monotonic() - start
        # From here this process only runs the sink (and a poll twice a second).
        sink_before = _own_cpu_seconds()
        print(f"fan-out: {queued:,} ledger rows written and enqueued in {fanned:.1f} s")
        _wait(sink, args.members, args.timeout)
        took = time.monotonic() - start
        about = [m.pk for m in meetings]
        sent = Delivery.objects.filter(about_id__in=about, status="sent").count()
        print(
            f"delivered {sink.count:,} emails in {took:.1f} s: "
            f"{sink.count / took:,.0f} messages/s ({args.workers} worker(s) x "
            f"{args.concurrency}); ledger sent {sent:,}; "
            f"distinct Message-IDs {len(sink.message_ids):,}"
        )
        # The machine may be shared: CPU per message says what a free core would do.
        cpu = _cpu_seconds(workers) - cpu_before
        sink_cpu = _own_cpu_seconds() - sink_before
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"worker CPU {cpu:.1f} s: {cpu * 1000 / max(sink.count, 1):.2f} ms per message "
            f"(~{sink.count / cpu:,.0f} messages/s per free core); load average {load} "
            f"on {os.cpu_count()} cores"
        )
        print(
            f"sink CPU {sink_cpu:.1f} s: {sink_cpu * 1000 / max(sink.count, 1):.2f} ms per "
            f"message ({args.sink} sink in this process, sharing the cores with the workers)"
        )
        if sink.count != args.members:
            print("MISMATCH: expected exactly one email per member", file=sys.stderr)
    finally:
        for process in workers:
            os.killpg(process.pid, signal.SIGTERM)
        for process in workers:
            process.wait(timeout=60)
        controller.stop()
        if not args.keep:
            _cleanup(org, group, run)


if __name__ == "__main__":
    main()
