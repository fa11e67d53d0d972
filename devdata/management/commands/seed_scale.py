"""Generate the scale data set for benchmarks. See devdata/scale/.

python manage.py seed_scale               # the full set (about 4.5 million rows)
python manage.py seed_scale --scale 0.05  # a twentieth of it
"""

from django.core.management.base import BaseCommand, CommandError

from devdata import scale as scale_data


class Command(BaseCommand):
    help = "Fill a database of its own with the scale data set (100,000 members at --scale 1)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="fraction of the full set (default 1)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="add the scale data even though the database holds other data",
        )

    def handle(self, *args, scale: float, force: bool, **options):
        if not 0 < scale <= 1:
            raise CommandError("--scale must be more than 0 and at most 1, e.g. 0.05.")
        self.stdout.write(f"Seeding the scale data set at scale {scale:g}…")
        try:
            report = scale_data.seed(scale=scale, force=force, progress=self.stdout.write)
        except scale_data.ScaleRefused as refusal:
            raise CommandError(str(refusal)) from None
        for table, count in sorted(report.counts.items()):
            self.stdout.write(f"  {table:<28} {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {report.seconds:.0f} s. Sign in with:"))
        for role, email in report.accounts.items():
            self.stdout.write(f"  {role:<12} {email}   password {scale_data.PASSWORD}")
        self.stdout.write(
            f"Every generated account has that password. Facilitators and organizers use "
            f"two-step sign-in with the secret {scale_data.TOTP_SECRET} "
            f"(`oathtool --totp -b {scale_data.TOTP_SECRET}`)."
        )
