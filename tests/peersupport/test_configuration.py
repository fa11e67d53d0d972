"""Start-up configuration: clear one-line errors, production settings pass check --deploy."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def manage(*args, **env):
    # Start from the machine's environment, without what the test settings added.
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "EMAIL_URL"}
    dropped |= {"HTTPS", "DEBUG", "CACHE_KEY_PREFIX", "CELERY_QUEUE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "mysql://x@localhost/db", "SECRET_KEY": "k" * 50}, "PostgreSQL"),
        ({"DEBUG": "maybe"}, "DEBUG must be 1 or 0"),
        ({"DATABASE_URL": "postgres://u@h/db"}, "SECRET_KEY is not set"),
        (
            {"DATABASE_URL": "postgres://u@h/db", "SECRET_KEY": "k" * 50, "CONN_MAX_AGE": "x"},
            "CONN_MAX_AGE",
        ),
    ],
)
def test_bad_environment_gives_one_clear_line(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_settings_pass_check_deploy():
    db = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DATABASE_URL=db,
        SECRET_KEY="a-very-long-production-secret-key-" + "z9" * 30,
        ALLOWED_HOSTS="peers.example.org",
        SITE_URL="https://peers.example.org",
        EMAIL_URL="smtp://mail.example.org:587",
        REDIS_URL=settings.REDIS_URL,
        DEBUG="0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
