"""The Celery app. Configuration lives in Django settings under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings")

app = Celery("peersupport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
