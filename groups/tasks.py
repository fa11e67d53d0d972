"""Background work of the groups app: emails about joining and membership."""

from celery import shared_task

from groups.services.membership import contact_access_log_purge, membership_email_send
from peersupport.tasks import email_task


@email_task
def send_membership_email(event_id: int, kind: str) -> bool:
    """Join request received, approved, declined, removed: one email per event."""
    return membership_email_send(event_id=event_id, kind=kind)


@shared_task
def purge_contact_access_logs() -> int:
    """Daily: contact-access log rows past their retention period are deleted."""
    return contact_access_log_purge()


@shared_task
def purge_by_retention() -> int:
    """Daily: each organisation's retention for contact logs and follow-ups."""
    from groups.services.safety import retention_purge

    return retention_purge()
