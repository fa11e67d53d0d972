"""Tell a new user, in plain words, what works and what is missing."""

from django.conf import settings
from django.core.management.base import BaseCommand

from peersupport.health import (
    check_broker,
    check_cache,
    check_chromium,
    check_database,
    check_smtp,
)


class Command(BaseCommand):
    help = "Check the database, cache, broker, email and browser-test set-up."

    def handle(self, *args, **options):
        database = "embedded PostgreSQL (.local/pgdata)" if settings.EMBEDDED else "DATABASE_URL"
        redis = "embedded Redis (.local/redis)" if settings.REDIS_EMBEDDED else "REDIS_URL"
        self.stdout.write(f"peersupport doctor - running on {database} and {redis}")
        checks = [check_database(), check_cache(), check_broker(), check_smtp(), check_chromium()]
        for check in checks:
            mark = self.style.SUCCESS("ok  ") if check.ok else self.style.ERROR("MISSING")
            self.stdout.write(f"  {mark} {check.name:<9} {check.detail}")
            if not check.ok and check.hint:
                self.stdout.write(f"           -> {check.hint}")
        essential = [c for c in checks if c.name in {"database", "cache", "broker"}]
        if not all(c.ok for c in essential):
            raise SystemExit(1)
