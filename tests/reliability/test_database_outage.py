"""PostgreSQL stops while gunicorn runs: a calm 503 page, then normal pages, no restart.

Uses a private PostgreSQL (pgserver) in a temporary folder: the machine's shared server on
127.0.0.1:5432 is never touched.
"""

from __future__ import annotations

import pytest

from tests.reliability.conftest import report
from tests.reliability.processes import (
    PrivatePostgres,
    app_env,
    free_port,
    get,
    manage,
    start_gunicorn,
    stop_process,
)

PAGES = ["/groups/", "/", "/crisis/"]


@pytest.fixture
def private_postgres(tmp_path):
    server = PrivatePostgres(tmp_path)
    yield server
    server.start()  # cleanup expects a running server to stop and delete
    server.cleanup()


def test_database_outage_gives_503_then_recovers_without_restart(private_postgres, tmp_path):
    private_postgres.create_database("outage")
    port = free_port()
    env = app_env(private_postgres.url("outage"), port, CONN_MAX_AGE="60")
    manage(env, "migrate", "--noinput")
    web = start_gunicorn(env, port, log=tmp_path / "gunicorn.log")
    try:
        assert get(port, "/groups/")[0] == 200

        private_postgres.stop()
        # Pages no visitor's cached copy can answer (the directory seen above may still
        # come from the visitors' cache in Redis, which needs no database).
        during = [get(port, f"/groups/?q=outage{n}") for n in range(5)]
        for status, body in during:
            assert status == 503, body[:500]
            assert "We will be back in a moment" in body
            assert "Traceback" not in body and "OperationalError" not in body

        private_postgres.start()
        after = [get(port, path)[0] for path in PAGES]
        assert after == [200] * len(PAGES)
        assert web.poll() is None, "the web server restarted or died"
    finally:
        stop_process(web)
    report(
        "faults",
        f"database outage: {len(during)} requests answered 503 with the friendly page, "
        f"{len(after)} succeeded after PostgreSQL came back, gunicorn not restarted",
    )
