"""Settings for Celery workers the fault tests start: production settings with the
notification backoff starting at 1 s instead of 30 s, so "SMTP down for a minute" runs
the real retry mechanism (ledger backoff, retry tasks on Redis) in about a minute."""

from peersupport.settings import *  # noqa: F403

NOTIFICATION_RETRY_SECONDS = 1
