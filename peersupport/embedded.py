"""The embedded default: a private PostgreSQL in a folder of ours, no root, no server install.

With no DATABASE_URL set, peersupport starts (or reuses) a PostgreSQL 16 bundled by
the `pgserver` package on a Unix socket under `.local/pgdata`. Development, tests and
production therefore share one database engine: nothing behaves differently on SQLite.
The broker falls back to kombu's `filesystem://` transport and the cache to files, so
Celery's worker and beat run without a Redis server.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def local_dir(base_dir: Path) -> Path:
    """Folder for everything the embedded default keeps (database, queue, cache, mail)."""
    path = Path(os.environ.get("PEERSUPPORT_LOCAL_DIR", base_dir / ".local"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def embedded_database_url(base_dir: Path) -> str:
    """Start the bundled PostgreSQL if it is not running yet and return its URL."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR
            import pgserver
    except ImportError as exc:  # pragma: no cover - only without the dev requirements
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded PostgreSQL (pgserver) is not "
            "installed; run `make run`, or set DATABASE_URL=postgres://..."
        ) from exc
    datadir = local_dir(base_dir) / "pgdata"
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    # cleanup_mode=None keeps the server running after this process exits, so the web
    # server, the worker and manage.py commands share it; `make stop` stops it.
    pgserver.get_server(str(datadir), cleanup_mode=None)
    return f"postgres://postgres@/postgres?host={datadir}"


def filesystem_broker(base_dir: Path) -> tuple[str, dict]:
    """kombu's filesystem transport: a queue in folders, for a worker without Redis."""
    queue = local_dir(base_dir) / "queue"
    for sub in ("in", "processed"):
        (queue / sub).mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(queue / "in"),
        "data_folder_out": str(queue / "in"),
        "processed_folder": str(queue / "processed"),
        "store_processed": False,
    }
    return "filesystem://", options
