"""The Celery app. Configuration lives in Django settings under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings")

app = Celery("peersupport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Celery's Django fixup closes the database connection before and after every task unless
# told to reuse it, so each delivery batch paid for a new PostgreSQL connection (a forked
# backend, authentication, cold catalog caches): more CPU than sending its 50 emails, and
# the limit on fan-out speed. Celery now closes only every two million tasks, and
# `_connections_as_django_does` closes a connection that broke or outlived CONN_MAX_AGE
# before and after each task, as Django does around each request.
app.conf.CELERY_DB_REUSE_MAX = 1_000_000


@task_prerun.connect
def _fresh_content_types(**kwargs) -> None:
    """Forget cached content type ids before each task, when the settings ask for it.

    Only test suites do: their one long-lived worker outlives many flushes of the test
    database, after which a cached id may name a row that no longer exists. In production
    content type ids never change, so the cache stays.
    """
    from django.conf import settings

    if settings.CELERY_FRESH_CONTENT_TYPES:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@task_prerun.connect
@task_postrun.connect
def _connections_as_django_does(task=None, **kwargs) -> None:
    # Not for tasks run eagerly inside a request or a test: that is their connection.
    if task is not None and not getattr(task.request, "is_eager", False):
        from django.db import close_old_connections

        close_old_connections()
