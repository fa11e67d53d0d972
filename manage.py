#!/usr/bin/env python
"""Django's command-line utility for peersupport."""

import importlib
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        # Load settings first so a bad environment gives one line, not a traceback.
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as exc:
        sys.exit(f"peersupport: configuration problem: {exc}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
