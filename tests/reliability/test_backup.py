"""`manage.py backup` then `manage.py restore` into a new database: same rows per table."""

from __future__ import annotations

import os
import subprocess
import uuid

import psycopg2
from django.db import connection

from tests.factories import MeetingFactory, MembershipFactory, PeerGroupFactory, UserFactory
from tests.fixtures.worker import child_database_url
from tests.reliability.conftest import report
from tests.reliability.processes import PYTHON, ROOT


def _row_counts(url: str) -> dict[str, int]:
    conn = psycopg2.connect(url.replace("postgres://", "postgresql://"))
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            counts = {}
            for (table,) in sorted(cursor.fetchall()):
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        conn.close()


def _manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_backup_and_restore_give_the_same_rows(transactional_db, tmp_path):
    group = PeerGroupFactory(name="Backup Circle")
    for n in range(3):
        MembershipFactory(group=group, user=UserFactory(display_name=f"Member {n}"))
    MeetingFactory(group=group, topic="Sleep")
    source = child_database_url(connection.settings_dict["NAME"])
    target_name = f"ps_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "peersupport.dump"

    out = _manage(source, "backup", "--output", str(dump))
    assert "backup written" in out and dump.stat().st_size > 0
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    try:
        _manage(child_database_url(target_name), "restore", str(dump), "--yes")
        before, after = _row_counts(source), _row_counts(child_database_url(target_name))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
    assert after == before
    assert before["members_user"] >= 3 and before["groups_peergroup"] >= 1
    report("backups", f"{len(before)} tables, {sum(before.values())} rows, restored identically")
