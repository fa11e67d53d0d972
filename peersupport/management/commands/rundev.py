"""`make run`: the web server plus background processing (Celery worker with beat).

On the embedded default the worker uses the embedded Redis, as it would REDIS_URL.
"""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from peersupport.health import port_free


class Command(BaseCommand):
    help = "Serve on 127.0.0.1:8000 with a Celery worker and beat in the background."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options):
        if not port_free("127.0.0.1", port):
            raise CommandError(
                f"Port {port} is already in use - is peersupport already running? "
                f"Stop it, or run `make run PORT=<another port>`."
            )
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "peersupport", "worker", "--beat",
             "--concurrency=2", "--loglevel=WARNING"]
        )  # fmt: skip
        mail = getattr(settings, "EMAIL_FILE_PATH", None)
        self.stdout.write(f"Background worker and beat started (pid {worker.pid}).")
        if mail:
            self.stdout.write(f"Emails are not sent: each one is written to {mail}/")
        self.stdout.write(f"Open http://127.0.0.1:{port}/ - press Ctrl+C to stop.")
        # A plain `kill` (SIGTERM) should stop the worker too, as Ctrl+C does.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=15)
