"""Time and profile one benchmarked page in-process, as gunicorn would serve it.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_scale_data
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/profile_page.py "meeting page" \\
        [--requests 300] [--profile] [--functions 40]

Uses bench/run.py's targets and signed-in sessions and the same production settings, and
calls Django's WSGI handler directly (no HTTP, no load generator), so what it reports is
the server's own CPU per request: the figure to compare before and after a change, far
steadier than req/s on a shared machine. `--profile` prints a pyinstrument profile
(pip install pyinstrument; not a project dependency). Installs nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("page", help="part of a page name from bench/run.py, e.g. 'meeting'")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--functions",
        type=int,
        metavar="N",
        help="print the N functions with the most own time (cProfile), all frames shown",
    )
    args = parser.parse_args()

    import run  # bench/run.py

    os.environ.setdefault("SECRET_KEY", "bench-profile-" + "x" * 40)
    os.environ.update(run.server_env(8000))
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.client import RequestFactory

    targets = run.pick_targets()
    page = next(p for p in run.pages(targets) if args.page in p["name"])
    cookie = ""
    if page["role"]:
        user = targets[page["role"]]
        # Members sign in without a second factor, as bench/run.py signs them in.
        mfa = page["role"] not in ("member", "space_member")
        cookie = run.session_cookies(user, 1, mfa=mfa)[0]
    path, _, query = page["path"].partition("?")
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, QUERY_STRING=query, HTTP_COOKIE=cookie, SERVER_NAME="127.0.0.1"
    )
    app = WSGIHandler()

    def one() -> tuple[int, int]:
        status, headers = [], []
        body = app(dict(environ), lambda s, h, *a: (status.append(s), headers.extend(h)))
        size = sum(len(part) for part in body)
        if hasattr(body, "close"):
            body.close()
        # Keep the cookies the server sets (the CSRF cookie), as bench/run.py's client and
        # a browser do.
        kept = {
            value.partition("=")[0]: value.partition("=")[2].split(";", 1)[0]
            for name, value in headers
            if name.lower() == "set-cookie"
        }
        if kept:
            jar = dict(part.split("=", 1) for part in environ["HTTP_COOKIE"].split("; ") if part)
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in {**jar, **kept}.items())
        return int(status[0].split()[0]), size

    code, size = one()
    print(f"{page['name']} ({page['role'] or 'anonymous'}): HTTP {code}, {size} bytes")
    for _ in range(20):
        one()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        one()
    print(f"queries per request: {len(queries)}")
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for q in queries:
            print("  ", q["sql"][:300])
    cpu = []
    for _ in range(args.requests):
        start = time.process_time()
        one()
        cpu.append((time.process_time() - start) * 1000)
    print(
        f"app CPU per request over {args.requests}: p50 {statistics.median(cpu):.2f} ms, "
        f"mean {statistics.fmean(cpu):.2f} ms, min {min(cpu):.2f} ms"
    )
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(args.requests):
            one()
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.functions:
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            for _ in range(args.requests):
                one()
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("tottime").print_stats(args.functions)
        stats.sort_stats("cumulative").print_stats(args.functions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
