"""`make bench`: pages over the scale data set against a bare Django view.

    createdb -h 127.0.0.1 -U postgres ps_scale_data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_scale_data \\
        DEBUG=1 .venv/bin/python manage.py migrate
    DATABASE_URL=... DEBUG=1 .venv/bin/python manage.py seed_scale      # about 5 minutes
    DATABASE_URL=... REDIS_URL=redis://127.0.0.1:6379/0 make bench
    BENCH_SECONDS=3 make bench                                          # a smoke run

Starts gunicorn on 127.0.0.1 (a free port) over DATABASE_URL with production settings
(DEBUG=0, HTTPS=0 on loopback, BENCH=1 for the bare view), the same gunicorn settings for
every page. Each page gets BENCH_CONNECTIONS (16) keep-alive connections for BENCH_SECONDS
(15) after a short warm-up, from a Python load generator (processes x threads, so the
client is not one GIL). Signed-in pages use one session per connection, created in the
database the way a sign-in leaves it (password, and for facilitators and organizers the
authenticator app, recorded as allauth records them). Writes bench/results.json and the
table between the markers in bench/README.md (full runs only: BENCH_PAGES=bare,meeting or
BENCH_SECONDS under 15 print the figures and write nothing). Installs nothing.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import multiprocessing
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability.processes import free_port, start_gunicorn, stop_process  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
CLIENT_PROCESSES = int(os.environ.get("BENCH_CLIENT_PROCESSES", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
THREADS = 4  # what tests.reliability.processes.start_gunicorn gives each worker
ONLY = [name for name in os.environ.get("BENCH_PAGES", "").split(",") if name]
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"


def server_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        HTTPS="0",  # plain HTTP on loopback
        BENCH="1",
        SECRET_KEY=os.environ["SECRET_KEY"],
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        EMAIL_URL=os.environ.get("EMAIL_URL", "smtp://127.0.0.1:2525"),  # nothing is sent
        # Production settings without collected static files (plain static URLs).
        DJANGO_SETTINGS_MODULE="tests.reliability.server_settings",
    )
    return env


# --- Who and what -----------------------------------------------------------------------
def pick_targets() -> dict:
    """Accounts and pages from the scale data: a member with an upcoming RSVP and a feed,
    the facilitator running the most groups, an organizer, a listed group."""
    from django.db.models import Count
    from django.utils import timezone

    from groups.models import Membership, OrganisationRole, PeerGroup
    from sessions.models import CalendarFeed, Rsvp

    rsvp = (
        Rsvp.objects.filter(
            status=Rsvp.Status.GOING,
            meeting__status="scheduled",
            meeting__starts_at__gt=timezone.now(),
            user__calendar_feed__isnull=False,
            user__email__startswith="member",
        )
        .select_related("meeting", "user")
        .order_by("meeting__starts_at")
        .first()
    )
    if rsvp is None:
        raise SystemExit("No scale data here: run `manage.py seed_scale` on this database.")
    facilitator = (
        Membership.objects.filter(role="facilitator", status="active")
        .values("user")
        .annotate(n=Count("id"))
        .order_by("-n", "user")
        .first()["user"]
    )
    from members.models import User

    role = OrganisationRole.objects.select_related("organisation", "user").order_by("pk").first()
    group = PeerGroup.objects.listed().exclude(city="").order_by("pk").first()
    topic = group.topics[0]
    from space.models import Thread

    # The longest thread (seed_scale writes one of 200 replies), read by its author.
    thread = (
        Thread.objects.annotate(n=Count("posts"))
        .select_related("group", "author")
        .order_by("-n", "pk")
        .first()
    )
    return {
        "space_thread": thread,
        "space_member": thread.author if thread else None,
        "member": rsvp.user,
        "meeting": rsvp.meeting,
        "feed_token": CalendarFeed.objects.get(user=rsvp.user).token,
        "facilitator": User.objects.get(pk=facilitator),
        "organizer": role.user,
        "organisation": role.organisation,
        "group": group,
        "directory_query": f"topic={topic.replace(' ', '+')}&format={group.format}",
    }


def pages(t: dict) -> list[dict]:
    """(name, role, path, path as reported): tokens never go into the results."""
    from django.urls import NoReverseMatch, reverse

    found = [
        ("bare view", None, "/bench/bare/", None),
        ("directory (filtered)", None, f"/groups/?{t['directory_query']}", None),
        ("group landing page", None, t["group"].get_absolute_url(), None),
        ("meeting page (RSVP state)", "member", t["meeting"].get_absolute_url(), None),
        ("member home", "member", reverse("groups:mine"), None),
        ("facilitator dashboard", "facilitator", reverse("meetings:facilitator_dashboard"), None),
    ]
    try:
        url = reverse("feedback:org_dashboard", args=[t["organisation"].slug]) + "?period=12m"
        found.append(("organizer dashboard (1 org, 12 months)", "organizer", url, None))
    except NoReverseMatch:
        pass
    if t["space_thread"] is not None:
        url = t["space_thread"].get_absolute_url()
        found.append(("group-space thread (200 replies)", "space_member", url, None))
    feed = reverse("meetings:feed", args=[t["feed_token"]])
    shown = feed.replace(t["feed_token"], "<token>")  # a feed token never goes in a report
    found.append(("iCal feed (member's private token)", None, feed, shown))
    org_feed = reverse("meetings:organisation_feed", args=[t["organisation"].slug])
    found.append(("iCal feed (organisation, public)", None, org_feed, None))
    with contextlib.suppress(NoReverseMatch):
        found.append(("Meeting Guide feed (public)", None, reverse("finders:feed"), None))
    return [
        {"name": name, "role": role, "path": path, "shown": shown or path}
        for name, role, path, shown in found
        if not ONLY or any(word in name for word in ONLY)
    ]


def session_cookies(user, count: int, *, mfa: bool) -> list[str]:
    """`count` signed-in sessions of `user`, as allauth's sign-in (and MFA step) leaves them."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    cookies = []
    for _ in range(count):
        session = SessionStore()
        now = time.time()
        records = [{"method": "password", "at": now, "email": user.email}]
        if mfa:
            from allauth.mfa.models import Authenticator

            totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
            records.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # allauth's
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["account_authentication_methods"] = records
        session["account_authentication_methods_user"] = str(user.pk)
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


# --- Load -------------------------------------------------------------------------------
def _connection_loop(port, path, cookie, start_at, stop_at, latencies, failures, served):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # As a browser sends it: the language is then the browser's, not looked up from the
    # page's organisation (what a request naming no language we speak costs).
    headers = {"Host": "127.0.0.1", "Accept-Language": "en-GB,en;q=0.9"}
    if cookie:
        headers["Cookie"] = cookie
    while True:
        began = time.monotonic()
        if began >= stop_at:
            break
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
            # Keep the cookies the server sets (the CSRF cookie of a page with a form), as a
            # browser does: without it every request would mint and set a new CSRF secret.
            kept = _cookies_set(response)
            if kept:
                jar = dict(
                    part.split("=", 1) for part in headers.get("Cookie", "").split("; ") if part
                )
                jar.update(kept)
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = False
        ended = time.monotonic()
        served.append(1)  # warm-up included: what the server's CPU time is divided by
        if began >= start_at and ended <= stop_at:
            if ok:
                latencies.append(ended - began)
            else:
                failures.append(1)
    conn.close()


def _cookies_set(response) -> dict[str, str]:
    found = {}
    for header in response.msg.get_all("Set-Cookie") or ():
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _client_process(port, path, cookies, start_at, stop_at, queue):
    latencies: list[float] = []
    failures: list[int] = []
    served: list[int] = []
    threads = [
        threading.Thread(
            target=_connection_loop,
            args=(port, path, cookie, start_at, stop_at, latencies, failures, served),
        )
        for cookie in cookies
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, len(failures), len(served)))


def measure(port: int, path: str, cookies: list[str | None]) -> dict:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.monotonic() + WARMUP
    stop_at = start_at + SECONDS
    share = [cookies[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
    processes = [
        context.Process(target=_client_process, args=(port, path, part, start_at, stop_at, queue))
        for part in share
        if part
    ]
    for process in processes:
        process.start()
    latencies: list[float] = []
    failures = served = 0
    for _ in processes:
        got, failed, answered = queue.get()
        latencies.extend(got)
        failures += failed
        served += answered
    for process in processes:
        process.join()
    latencies.sort()

    def pct(q: float) -> float:
        if not latencies:
            return 0.0
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1)

    return {
        "requests": len(latencies),
        "served_with_warmup": served,
        "failures": failures,
        "rps": round(len(latencies) / SECONDS, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
    }


def cpu_by_process(web, database: str) -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by each gunicorn worker and PostgreSQL backend of `database`.

    On a shared machine the request rate depends on what else runs; the CPU a request
    costs does not (much), so the report gives both. Parallel query workers live only
    for one query and escape this count, so PostgreSQL's figure is a floor.
    """
    import psutil

    found: dict[int, tuple[str, float]] = {}

    def note(process, kind: str) -> None:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return
        found[process.pid] = (kind, times.user + times.system)

    for child in psutil.Process(web.pid).children():
        note(child, "app")
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info.get("cmdline") or [])
        if process.info.get("name") == "postgres" and f" {database} " in f" {cmdline} ":
            note(process, "db")
    return found


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds per kind between two snapshots (a process that ended is left out)."""
    used = {"app": 0.0, "db": 0.0}
    for pid, (kind, seconds) in after.items():
        used[kind] += max(0.0, seconds - before.get(pid, (kind, 0.0))[1])
    return used


# --- Report -----------------------------------------------------------------------------
def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version()}


def data_counts() -> dict:
    from feedback.models import CheckinResponse
    from groups.models import PeerGroup
    from members.models import User
    from sessions.models import Meeting, Rsvp

    return {
        "accounts": User.objects.count(),
        "groups": PeerGroup.objects.count(),
        "meetings": Meeting.objects.count(),
        "rsvps": Rsvp.objects.count(),
        "checkin_answers": CheckinResponse.objects.count(),
    }


def write_readme(report: dict) -> None:
    readme = ROOT / "bench" / "README.md"
    rows = [
        "| page | signed in as | req/s | p50 ms | p99 ms | share of bare "
        "| app CPU ms/req | PostgreSQL CPU ms/req | failures |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in report["pages"]:
        share = f"{page['ratio'] * 100:.1f} %" if page.get("ratio") is not None else "n/a"
        rows.append(
            f"| {page['name']} | {page['role'] or 'anonymous'} | {page['rps']} "
            f"| {page['p50_ms']} | {page['p99_ms']} | {share} | {page['app_cpu_ms']} "
            f"| {page['db_cpu_ms']} | {page['failures']} |"
        )
    m, d = report["machine"], report["data"]
    block = "\n".join(
        [
            MARK_START,
            f"Run of {report['date']} on commit `{report['commit']}`: {m['cpu']}, {m['cores']} "
            f"cores, Python {m['python']}; load average {report['load_before']} before, "
            f"{report['load_after']} after. gunicorn {report['gunicorn']}; "
            f"{report['connections']} keep-alive connections, {report['seconds']:g} s per page. "
            f"Data: {d['accounts']:,} accounts, {d['groups']:,} groups, {d['meetings']:,} "
            f"meetings, {d['rsvps']:,} RSVPs, {d['checkin_answers']:,} check-in answers.",
            "",
            *rows,
            MARK_END,
        ]
    )
    text = readme.read_text()
    if MARK_START in text:
        before, rest = text.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    readme.write_text(text)


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        print("Set DATABASE_URL to the scale database (see the top of bench/run.py).")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings")
    os.environ.setdefault("DEBUG", "1")  # this process only reads; the server runs DEBUG=0
    # Sessions are signed with the key: this process and the server share one.
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_hex(24))
    import django

    django.setup()
    from django.db import connections

    targets = pick_targets()
    plan = pages(targets)
    cookies = {
        "member": session_cookies(targets["member"], CONNECTIONS, mfa=False),
        "facilitator": session_cookies(targets["facilitator"], CONNECTIONS, mfa=True),
        "organizer": session_cookies(targets["organizer"], CONNECTIONS, mfa=True),
        None: [None] * CONNECTIONS,
    }
    if targets["space_member"] is not None:
        cookies["space_member"] = session_cookies(targets["space_member"], CONNECTIONS, mfa=False)
    counts = data_counts()
    connections.close_all()  # the load generator forks: no shared database sockets

    port = free_port()
    gunicorn = f"{WORKERS} workers x {THREADS} threads (gthread)"
    log = Path(tempfile.gettempdir()) / f"peersupport-bench-{port}.log"
    print(f"gunicorn on 127.0.0.1:{port} ({gunicorn}); its log: {log}", flush=True)
    web = start_gunicorn(server_env(port), port, workers=WORKERS, log=log)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    database = connections["default"].settings_dict["NAME"]
    results = []
    try:
        for page in plan:
            before = cpu_by_process(web, database)
            got = measure(port, page["path"], cookies[page["role"]])
            used = cpu_used(before, cpu_by_process(web, database))
            done = max(1, got["served_with_warmup"])
            got["app_cpu_ms"] = round(used["app"] * 1000 / done, 2)
            got["db_cpu_ms"] = round(used["db"] * 1000 / done, 2)
            results.append({"name": page["name"], "role": page["role"], "path": page["shown"]})
            results[-1].update(got)
            print(
                f"{page['name']:<40} {got['rps']:>8} req/s  p50 {got['p50_ms']:>7} ms  "
                f"p99 {got['p99_ms']:>7} ms  CPU app {got['app_cpu_ms']} ms "
                f"db {got['db_cpu_ms']} ms  failures {got['failures']}",
                flush=True,
            )
    finally:
        stop_process(web)
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    bare = next((r["rps"] for r in results if r["name"] == "bare view"), None)
    for row in results:
        row["ratio"] = round(row["rps"] / bare, 4) if bare else None
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit,
        "machine": machine(),
        "load_before": load_before,
        "load_after": load_after,
        "gunicorn": gunicorn,
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "data": counts,
        "pages": results,
    }
    if ONLY or SECONDS < 15:
        # A smoke or partial run never replaces the figures of a full one.
        print("Short or partial run: bench/results.json and bench/README.md left as they were.")
    else:
        (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n")
        write_readme(report)
        print("Wrote bench/results.json and the table in bench/README.md.")
    failed = [r["name"] for r in results if r["failures"] or not r["requests"]]
    if failed:
        print("Pages with failed requests: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
