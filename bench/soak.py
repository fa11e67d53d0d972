"""Soak run: gunicorn on loopback under steady mixed traffic; errors, latency and memory.

    make soak                       # 10 minutes
    SOAK_SECONDS=60 make soak       # a short run
    SOAK_RATE=30 SOAK_THREADS=8 SOAK_WORKERS=2 make soak

Uses DATABASE_URL (a scratch database: the script migrates it and runs seed_demo) or the
embedded default. Not run in CI. Writes bench/soak-report.md: requests, errors (status
>= 500 or no answer), latency p50/p99 per kind of page, and the RSS of the gunicorn
workers sampled over the run (stable memory: the last samples near the first ones).
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability.processes import (  # noqa: E402
    app_env,
    free_port,
    manage,
    start_gunicorn,
    stop_process,
)

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
RATE = float(os.environ.get("SOAK_RATE", "20"))  # requests per second, all threads together
THREADS = int(os.environ.get("SOAK_THREADS", "8"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "2"))
MAX_REQUESTS = int(os.environ.get("SOAK_MAX_REQUESTS", str(int(SECONDS * RATE) + 100)))
PASSWORD = "peersupport-demo"  # noqa: S105 - the published demo password (PRODUCT.md)
ANONYMOUS = ["/", "/groups/", "/crisis/", "/groups/?q=grief", "/healthz"]
MEMBER = ["/me/groups/", "/meetings/calendar/", "/groups/"]


class Client:
    """One keep-alive connection with a cookie jar (enough for Django's session)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        text = response.read().decode(errors="replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def sign_in(self, email: str) -> bool:
        _status, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            return False
        form = {"csrfmiddlewaretoken": token.group(1), "login": email, "password": PASSWORD}
        status, _ = self.request("POST", "/accounts/login/", form)
        return status == 302


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.statuses: dict[int, int] = defaultdict(int)
        self.count = 0

    def add(self, kind: str, seconds: float, status: int, error: str | None) -> None:
        with self.lock:
            self.count += 1
            self.statuses[status] += 1
            self.latency[kind].append(seconds)
            if error:
                self.errors.append(error)


def traffic(index: int, port: int, stats: Stats, stop_at: float, budget: list[int]) -> None:
    client = Client(port)
    signed_in = index % 2 == 1 and client.sign_in("member@example.org")
    if index % 2 == 1 and not signed_in:
        stats.add("sign-in", 0.0, 0, "the demo member could not sign in")
    paths = MEMBER + ANONYMOUS if signed_in else ANONYMOUS
    kind = "member" if signed_in else "anonymous"
    interval = THREADS / RATE
    next_at = time.monotonic() + index / RATE
    n = 0
    while time.monotonic() < stop_at:
        with stats.lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        time.sleep(max(0.0, next_at - time.monotonic()))
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            status, _ = client.request("GET", path)
            error = f"{status} {path}" if status >= 400 else None
        except (OSError, http.client.HTTPException) as exc:
            status, error = 0, f"{type(exc).__name__} {path}"
        stats.add(kind, time.monotonic() - started, status, error)
        next_at += interval


def sample_memory(web, samples: list[tuple[float, float]], stop: threading.Event, t0: float):
    master = psutil.Process(web.pid)
    while not stop.wait(5):
        try:
            rss = sum(c.memory_info().rss for c in master.children())
        except psutil.Error:
            continue
        samples.append((time.monotonic() - t0, rss / 2**20))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def report(stats: Stats, samples, elapsed: float) -> str:
    lines = [
        "# Soak report",
        "",
        f"- duration: {elapsed:.0f} s, target rate {RATE:g} req/s, {THREADS} client threads, "
        f"gunicorn {WORKERS} workers x 4 threads on 127.0.0.1",
        f"- requests: {stats.count} ({stats.count / elapsed:.1f} req/s), "
        f"errors: {len(stats.errors)}",
        "- statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(stats.statuses.items())),
        "",
        "| traffic | requests | p50 ms | p99 ms |",
        "|---|---|---|---|",
    ]
    for kind, values in sorted(stats.latency.items()):
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        lines.append(f"| {kind} | {len(values)} | {p50:.0f} | {p99:.0f} |")
    lines += ["", "## Worker memory (RSS, all workers)", "", "| t (s) | MiB |", "|---|---|"]
    step = max(1, len(samples) // 20)
    lines += [f"| {t:.0f} | {mib:.1f} |" for t, mib in samples[::step]]
    if len(samples) >= 4:
        first = statistics.mean(m for _, m in samples[:2])
        last = statistics.mean(m for _, m in samples[-2:])
        lines += ["", f"Memory from {first:.1f} MiB to {last:.1f} MiB ({last - first:+.1f})."]
    if stats.errors:
        lines += ["", "## Errors (first 20)", ""] + [f"- {e}" for e in stats.errors[:20]]
    return "\n".join(lines) + "\n"


def main() -> int:
    port = free_port()
    env = app_env(os.environ.get("DATABASE_URL", ""), port)
    if not env["DATABASE_URL"]:
        del env["DATABASE_URL"]  # the embedded default
    manage(env | {"DEBUG": "1"}, "migrate", "--noinput")
    manage(env | {"DEBUG": "1"}, "seed_demo")
    (ROOT / "bench" / "data").mkdir(exist_ok=True)
    web = start_gunicorn(
        env, port, workers=WORKERS, log=ROOT / "bench" / "data" / "soak-gunicorn.log"
    )
    stats, samples, stop = Stats(), [], threading.Event()
    t0 = time.monotonic()
    budget = [MAX_REQUESTS]
    memory = threading.Thread(target=sample_memory, args=(web, samples, stop, t0), daemon=True)
    memory.start()
    threads = [
        threading.Thread(target=traffic, args=(i, port, stats, t0 + SECONDS, budget))
        for i in range(THREADS)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop.set()
        stop_process(web)
    text = report(stats, samples, time.monotonic() - t0)
    (ROOT / "bench" / "soak-report.md").write_text(text)
    print(text)
    return 1 if stats.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
