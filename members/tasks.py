"""Background work of the members app: the welcome email and the notification layer."""

from celery import shared_task

from members.notifications import deliveries_requeue_stale, deliveries_send, delivery_send
from members.services.account import member_send_welcome
from peersupport.tasks import email_task


@email_task
def send_welcome(user_id: int) -> bool:
    return member_send_welcome(user_id=user_id)


# --- Notifications --------------------------------------------------------------------------
@shared_task(bind=True, max_retries=None)
def deliver_notification(self, delivery_id: int) -> str:
    """Send one ledger row. Idempotent: a second run finds it claimed or sent.

    Backoff lives in the ledger (`next_attempt_at`); the retry here only makes it prompt,
    and the sweep below catches anything a lost task would otherwise leave behind.
    """
    outcome = delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return str(outcome)


@shared_task
def deliver_notifications(delivery_ids: list[int]) -> int:
    """Send a batch of ledger rows over one SMTP connection; returns how many were sent.

    Rows that failed for now come back as one batch task per backoff time (their rows
    are already stamped with it, so the retry finds them due).
    """
    outcomes = deliveries_send(delivery_ids=delivery_ids)
    retries: dict[int, list[int]] = {}
    for delivery_id, outcome in outcomes.items():
        if outcome.retry_in is not None:
            retries.setdefault(outcome.retry_in, []).append(delivery_id)
    if not deliver_notifications.request.is_eager:
        for countdown, ids in retries.items():
            deliver_notifications.apply_async((ids,), countdown=countdown)
    return sum(outcome == "sent" for outcome in outcomes.values())


@shared_task
def requeue_stale_notifications() -> int:
    """Every minute (beat): re-enqueue lost, due-for-retry and abandoned deliveries."""
    return deliveries_requeue_stale()
