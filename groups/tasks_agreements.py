"""Background work for agreements. Imported by groups.models.agreements so the worker
registers these tasks whenever Django loads the groups app."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_agreement_resign_requests(version_id: int) -> int:
    """Ask members who signed an older version to read and sign version `version_id`."""
    from groups.services.agreements import agreement_send_resign_requests

    return agreement_send_resign_requests(version_id=version_id)
