"""Background work of the members app: the welcome email and the notification layer."""

from celery import shared_task

from members.services import member_send_welcome


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_welcome(user_id: int) -> bool:
    return member_send_welcome(user_id=user_id)


# --- Notifications (issue 8) -----------------------------------------------------------------
@shared_task(bind=True, max_retries=None)
def deliver_notification(self, delivery_id: int) -> str:
    """Send one ledger row. Idempotent: a second run finds it claimed or sent.

    Backoff lives in the ledger (`next_attempt_at`); the retry here only makes it prompt,
    and the sweep below catches anything a lost task would otherwise leave behind.
    """
    from members.notifications import delivery_send

    outcome = delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return str(outcome)


@shared_task
def deliver_notifications(delivery_ids: list[int]) -> int:
    """Send a batch of ledger rows over one SMTP connection; returns how many were sent.

    A row that fails for now gets its own retry task at its backoff time.
    """
    from django.core.mail import get_connection

    from members.notifications import delivery_send

    sent = 0
    connection = get_connection()
    _open(connection)
    try:
        for delivery_id in delivery_ids:
            outcome = delivery_send(delivery_id=delivery_id, connection=connection)
            sent += outcome == "sent"
            if outcome.retry_in is not None:
                connection.close()  # the server may have hung up: start afresh
                _open(connection)
                if not deliver_notifications.request.is_eager:
                    deliver_notification.apply_async((delivery_id,), countdown=outcome.retry_in)
    finally:
        connection.close()
    return sent


def _open(connection) -> None:
    """Open the shared connection if the server answers; if not, each send tries alone
    and records its own failure on its row."""
    import smtplib

    try:
        connection.open()
    except (OSError, smtplib.SMTPException):
        connection.close()


@shared_task
def requeue_stale_notifications() -> int:
    """Every few minutes: re-enqueue lost, due-for-retry and abandoned deliveries."""
    from members.notifications import deliveries_requeue_stale

    return deliveries_requeue_stale()


@shared_task
def send_due_reminders() -> int:
    """Every few minutes: fan out the meeting reminders whose time has come."""
    from members.reminders import reminders_send_due

    return reminders_send_due()


@shared_task
def send_checkin_invitations() -> int:
    """Every 15 minutes: invite attendees of meetings that ended to the check-in survey."""
    from members.reminders import checkin_invitations_due

    return checkin_invitations_due()


@shared_task
def send_facilitator_digests(frequency: str) -> int:
    """Daily and on Mondays: each facilitator's digest of their groups."""
    from members.digest import digests_send

    return digests_send(frequency=frequency)
