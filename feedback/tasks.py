"""Celery tasks of the feedback app: each calls one service."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from feedback import services
from feedback.dashboard import figures


@shared_task
def open_due_goal_reviews() -> int:
    """Daily: open the purpose and goals reviews whose time has come and invite members."""
    return services.reviews_open_due()


@shared_task
def seal_closed_checkins() -> int:
    """Daily: rewrite the answers of closed check-in surveys in random order, and sum them
    per meeting for the dashboards in the same transaction: the dashboards read sealed
    answers from the sums and the others raw, so they never see an answer twice or not
    at all."""
    with transaction.atomic():
        sealed = services.checkin_responses_seal_due()
        figures.refresh()
    return sealed
