"""Background work of the groups app: emails about joining and membership."""

from celery import shared_task

from groups.services.membership import membership_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_membership_email(event_id: int, kind: str) -> bool:
    """Join request received, approved, declined, removed: one email per event."""
    return membership_email_send(event_id=event_id, kind=kind)
