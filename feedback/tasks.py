"""Celery tasks of the feedback app: each calls one service."""

from __future__ import annotations

from celery import shared_task

from feedback import services
from feedback.dashboard import units


@shared_task
def open_due_goal_reviews() -> int:
    """Daily: open the purpose and goals reviews whose time has come and invite members."""
    return services.reviews_open_due()


@shared_task
def release_closed_surveys() -> int:
    """Hourly: write the held answers of every closed check-in survey and purpose review,
    each survey's in one shuffled batch (feedback/holding.py), and the anonymous
    suggestions held since the last run; then count the months that are over."""
    released = services.checkin_release_due()
    released += services.review_release_due()
    released += services.suggestions_release_due()
    units.months_close_due()
    return released
