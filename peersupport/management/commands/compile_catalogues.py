"""Compile the translation catalogues (locale/*/LC_MESSAGES/django.po -> .mo).

Django's `compilemessages` needs GNU gettext's msgfmt, which a fresh machine may not
have; polib writes the same files in pure Python. A catalogue is compiled only when its
.po is newer than its .mo, so `make run` and `make test` pay nothing when nothing changed.
"""

from __future__ import annotations

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogues with polib (no gettext tools needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even if up to date.")

    def handle(self, *args, force=False, **options):
        compiled = 0
        for root in settings.LOCALE_PATHS:
            for source in sorted(root.glob("*/LC_MESSAGES/*.po")):
                target = source.with_suffix(".mo")
                if force or not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
                    # Fuzzy entries are left out, as msgfmt does: an unchecked guess is
                    # worse than the English original.
                    catalogue = polib.pofile(str(source))
                    for entry in catalogue.fuzzy_entries():
                        catalogue.remove(entry)
                    catalogue.save_as_mofile(str(target))
                    compiled += 1
        if options["verbosity"]:
            self.stdout.write(f"{compiled} catalogue(s) compiled.")
