"""`manage.py restore FILE --yes`: replace the database's contents with a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from peersupport.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a pg_dump backup into the configured database, replacing what is there."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do replace the database")

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if not options["yes"]:
            raise CommandError(
                f"This replaces everything in the database {name!r}. Run again with --yes."
            )
        try:
            backup_restore(path=Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {options['file']} into {name}")
