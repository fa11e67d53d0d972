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
        # Without DATABASE_URL too: the embedded default is no excuse for a known key.
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


def _secret_key(local_dir, **env) -> str:
    db = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        DEBUG="1",
        DATABASE_URL=db,
        PEERSUPPORT_LOCAL_DIR=str(local_dir),
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's own banner


def test_development_makes_its_own_random_key_on_first_run(tmp_path):
    first = _secret_key(tmp_path / "one")
    kept = tmp_path / "one" / "secret_key"
    assert kept.read_text().strip() == first
    assert len(first) >= 50
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    # The same checkout keeps its key (sessions survive a restart); another gets another.
    assert _secret_key(tmp_path / "one") == first
    assert _secret_key(tmp_path / "two") != first


def test_no_secret_key_is_written_in_the_code():
    with open(os.path.join(ROOT, "peersupport", "settings.py")) as handle:
        source = handle.read()
    assert 'SECRET_KEY = "' not in source and "development-only" not in source
