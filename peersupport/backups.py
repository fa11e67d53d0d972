"""Back up and restore the database with PostgreSQL's own tools (pg_dump / pg_restore).

The client must be at least as new as the server: the embedded default runs pgserver's
PostgreSQL 16 (whose client tools ship in the same package), a DATABASE_URL server may be
older or newer. `PG_BIN` (a folder) overrides the choice. The password travels in
PGPASSWORD, never on the command line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    """Something a person running the command can fix; the message says what."""


def _major(binary: str) -> int:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True)
    found = re.search(r"\(PostgreSQL\) (\d+)", out.stdout)
    return int(found.group(1)) if found else 0


def _bundled_bin() -> Path | None:
    try:
        from pgserver._commands import POSTGRES_BIN_PATH
    except ImportError:
        return None
    return Path(POSTGRES_BIN_PATH)


def client_tool(name: str) -> str:
    """The pg_dump / pg_restore to use for this server."""
    if os.environ.get("PG_BIN"):
        return str(Path(os.environ["PG_BIN"]) / name)
    server_major = connection.cursor().connection.info.server_version // 10000
    candidates = [shutil.which(name)]
    bundled = _bundled_bin()
    if bundled:
        candidates.append(str(bundled / name))
    for candidate in filter(None, candidates):
        if Path(candidate).exists() and _major(candidate) >= server_major:
            return candidate
    raise BackupError(
        f"no {name} for PostgreSQL {server_major} found: install the postgresql-client "
        f"package of that version, or set PG_BIN to its bin folder"
    )


def _connection_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"], "--username", db["USER"] or "postgres"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def backup_create(*, path: Path) -> Path:
    """Write the whole database to `path` in pg_dump's custom (compressed) format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = _connection_args()
    command = [client_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl"]
    result = subprocess.run([*command, *args, "--file", str(path)], env=env, capture_output=True)
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.decode(errors='replace').strip()}")
    return path


def backup_restore(*, path: Path) -> None:
    """Replace the configured database's contents with the backup, in one transaction."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    args, env = _connection_args()
    command = [
        client_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-acl",
        "--single-transaction",
        "--exit-on-error",
    ]
    connection.close()  # our own session must not hold locks on the tables being replaced
    result = subprocess.run([*command, *args, str(path)], env=env, capture_output=True)
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.decode(errors='replace').strip()}")
