"""Anonymous answers wait in the holding place (feedback/holding.py, which says why that
makes them unlinkable) and reach the database only when their survey closes, in a shuffled
batch written in one transaction. Shared by check-ins, reviews and suggestions."""

from __future__ import annotations

import logging
import random

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from feedback import holding
from peersupport.errors import DomainError

log = logging.getLogger(__name__)

CHECKIN, REVIEW, SUGGESTION = "checkin", "review", "suggestion"


def receipt_take(model, *, already: str, **fields) -> None:
    """Record that someone answered (never what): the receipt's unique key refuses a
    second answer with the `already` message."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        raise DomainError(already) from None


def hold_answer(kind: str, survey: int, answer: dict) -> None:
    """Keep one anonymous answer until its survey closes; refuse kindly if that fails."""
    try:
        holding.hold(kind, survey, answer)
    except Exception:  # any failure of Redis: nothing may be half-saved
        log.exception("The holding place refused an answer of a %s survey.", kind)
        raise DomainError(
            _("Your answers could not be saved just now. Please try again in a minute.")
        ) from None


def shuffled(answers: list[dict]) -> list[dict]:
    """The answers in random order, so the order rows are written in says nothing."""
    random.SystemRandom().shuffle(answers)
    return answers
