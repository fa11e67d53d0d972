"""Checks of the services peersupport depends on, shared by /healthz and `manage.py doctor`."""

from __future__ import annotations

import shutil
import smtplib
import socket
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from peersupport.celery import app


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    hint: str = ""


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check("database", True, connection.vendor)
    except Exception as exc:
        return Check(
            "database",
            False,
            type(exc).__name__,
            "Is PostgreSQL running and DATABASE_URL right? Unset it to use the embedded one.",
        )


def check_cache() -> Check:
    try:
        cache.set("healthz", "ok", 10)
        ok = cache.get("healthz") == "ok"
        return Check("cache", ok, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])
    except Exception as exc:
        return Check("cache", False, type(exc).__name__, "Is Redis running at REDIS_URL?")


def check_broker() -> Check:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return Check("broker", True, app.conf.broker_url.split("://", 1)[0])
    except Exception as exc:
        return Check("broker", False, type(exc).__name__, "Is Redis running at REDIS_URL?")


def check_smtp() -> Check:
    if not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        where = getattr(settings, "EMAIL_FILE_PATH", "the console")
        return Check("email", True, f"written to {where} (no SMTP server needed)")
    try:
        with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=3) as smtp:
            smtp.noop()
        return Check("email", True, f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT}")
    except (OSError, smtplib.SMTPException) as exc:
        return Check("email", False, type(exc).__name__, "Is the SMTP server in EMAIL_URL up?")


def check_chromium() -> Check:
    import os

    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if shutil.which(path):
        return Check("chromium", True, path)
    return Check(
        "chromium",
        False,
        "not found",
        "Browser tests need it: `apt-get install chromium` (or set CHROMIUM_PATH).",
    )


def port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True
