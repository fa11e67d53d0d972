"""Writes about feedback, one module per concern: check-ins (and the in-meeting check-out),
reviews, suggestions, goals, and the anonymous answers' holding place they share.

The names below are the package's API, so `from feedback import services` keeps working.
"""

from feedback.services.anonymous import CHECKIN, REVIEW, SUGGESTION
from feedback.services.checkins import (
    CHECKIN_WINDOW,
    RELEASE_MARGIN,
    checkin_closed_reason,
    checkin_release,
    checkin_release_due,
    checkin_submit,
    checkout_open,
    question_set_current,
    question_set_update,
)
from feedback.services.reviews import (
    REVIEW_OPEN_DAYS,
    review_closed_reason,
    review_open_due,
    review_release,
    review_release_due,
    review_schedule_get,
    review_schedule_set,
    review_send_now,
    review_submit,
    reviews_open_due,
)
from feedback.services.suggestions import (
    suggestion_add,
    suggestion_respond,
    suggestion_support,
    suggestions_release,
    suggestions_release_due,
)

__all__ = [
    "CHECKIN",
    "CHECKIN_WINDOW",
    "RELEASE_MARGIN",
    "REVIEW",
    "REVIEW_OPEN_DAYS",
    "SUGGESTION",
    "checkin_closed_reason",
    "checkin_release",
    "checkin_release_due",
    "checkin_submit",
    "checkout_open",
    "question_set_current",
    "question_set_update",
    "review_closed_reason",
    "review_open_due",
    "review_release",
    "review_release_due",
    "review_schedule_get",
    "review_schedule_set",
    "review_send_now",
    "review_submit",
    "reviews_open_due",
    "suggestion_add",
    "suggestion_respond",
    "suggestion_support",
    "suggestions_release",
    "suggestions_release_due",
]
