"""Writes for the suggestion box: ideas (anonymous ones held until release), support, replies."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback import holding
from feedback.models import (
    Suggestion,
    SuggestionSupport,
)
from feedback.services.anonymous import SUGGESTION, hold_answer, shuffled
from groups.models import PeerGroup
from members.models import User
from peersupport.errors import DomainError


# --- Suggestion box -------------------------------------------------------------------------
@transaction.atomic
def suggestion_add(
    *, group: PeerGroup, author: User, kind: str, text: str, anonymous: bool
) -> Suggestion | None:
    """Signed suggestions are saved at once. Anonymous ones keep no author and wait in the
    holding place until the next release (`suggestions_release`), so neither their
    transaction nor their id nor their date lines up with anything the author did;
    returns None for them."""
    text = text.strip()
    if not text:
        raise DomainError(_("Please write your suggestion."))
    if kind not in Suggestion.Kind.values:
        raise DomainError(_("Please choose what kind of suggestion this is."))
    if anonymous:
        hold_answer(SUGGESTION, group.pk, {"kind": kind, "text": text})
        return None
    return Suggestion.objects.create(group=group, kind=kind, text=text, author=author)


@transaction.atomic
def suggestion_support(*, suggestion: Suggestion, member: User) -> bool:
    """One vote per member: True when counted now, False when it already was."""
    try:
        with transaction.atomic():
            SuggestionSupport.objects.create(suggestion=suggestion, member=member)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def suggestion_respond(*, suggestion: Suggestion, status: str, reply: str) -> Suggestion:
    if status not in Suggestion.Status.values:
        raise DomainError(_("Please choose planned, done or declined."))
    suggestion.status = status
    suggestion.reply = reply.strip()[:500]
    suggestion.save(update_fields=["status", "reply"])
    return suggestion


def suggestions_release(*, group_id: int, today: datetime.date | None = None) -> int:
    """A group's held anonymous suggestions, shuffled, in one transaction, dated today.

    The held ones are taken and removed from Redis in one step first (a rerun must not
    write them twice); if the database write then fails they are put back.
    """
    from feedback.dashboard import cache as dashboard_cache

    today = today or timezone.localdate()
    answers = shuffled(holding.take(SUGGESTION, group_id))
    if not answers or not PeerGroup.objects.filter(pk=group_id).exists():
        return 0
    try:
        with transaction.atomic():
            Suggestion.objects.bulk_create(
                [
                    Suggestion(group_id=group_id, kind=a["kind"], text=a["text"], created_on=today)
                    for a in answers
                ]
            )
            dashboard_cache.renew(
                PeerGroup.objects.filter(pk=group_id).values_list("organisation_id", flat=True)
            )
    except Exception:
        for a in answers:
            holding.hold(SUGGESTION, group_id, a)
        raise
    return len(answers)


def suggestions_release_due() -> int:
    return sum(suggestions_release(group_id=pk) for pk in holding.surveys(SUGGESTION))
