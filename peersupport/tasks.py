"""Small helpers shared by every app's tasks."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import transaction


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Send `task` to the worker once the current transaction has committed.

    A task sent before commit can run before its rows exist, or for rows a rollback
    then removes. Outside a transaction `on_commit` runs at once.
    """
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


# A task that sends email: while the mail server cannot be reached (OSError) it is tried
# again after growing waits, up to 8 times.
email_task = shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
