"""Load demo data that feels like a real organisation. Safe to run again.

Each app may provide `<app>/demo.py` with `seed(out)`; they run in INSTALLED_APPS order,
so groups can rely on members, meetings on groups, and so on.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Create or refresh the demo organisation, groups, meetings and accounts."

    def handle(self, *args, **options):
        self.stdout.write("Loading demo data…")
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError:
                    continue
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with:"))
        for email, display_name, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<26} {DEMO_PASSWORD}   ({display_name})")
        self.stdout.write(
            f"Facilitator and organizer use two-step sign-in: add the secret {DEMO_TOTP_SECRET} "
            "to an authenticator app (or run `oathtool --totp -b JBSWY3DPEHPK3PXP`)."
        )
