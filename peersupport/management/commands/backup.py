"""`manage.py backup [--output FILE]`: the database to a pg_dump file (see README)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from peersupport.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database with pg_dump (custom format) to backups/ or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default: backups/<time>.dump)")

    def handle(self, *args, **options):
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = Path(options["output"] or f"backups/peersupport-{stamp}.dump")
        try:
            backup_create(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written to {path} ({path.stat().st_size} bytes)")
