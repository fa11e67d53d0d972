"""Celery tasks of the feedback app: each calls one service."""

from __future__ import annotations

from celery import shared_task

from feedback import services


@shared_task
def open_due_goal_reviews() -> int:
    """Daily: open the purpose and goals reviews whose time has come and invite members."""
    return services.reviews_open_due()


@shared_task
def seal_closed_checkins() -> int:
    """Daily: rewrite the answers of closed check-in surveys in random order."""
    return services.checkin_responses_seal_due()
