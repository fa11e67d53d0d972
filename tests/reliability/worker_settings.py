"""Settings for Celery workers the fault tests start: production settings with the
notification backoff starting at 1 s instead of 30 s, so "SMTP down for a minute" runs
the real retry mechanism (ledger backoff, retry tasks on Redis) in about a minute, and a
20-second sending lease instead of 5 minutes, so a killed worker's rows are re-queued by
the real sweep within a test's patience."""

from peersupport.settings import *  # noqa: F403

NOTIFICATION_RETRY_SECONDS = 1
NOTIFICATION_SENDING_LEASE_SECONDS = 20
