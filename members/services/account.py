"""Writes about member accounts."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from members.models import User
from members.notifications import notify


@transaction.atomic
def member_send_welcome(*, user_id: int) -> bool:
    """Queue the welcome message once per account; returns False when already done.

    The row lock makes a duplicate task wait and then see the stamp; the email goes
    through the notification layer (its ledger row keeps it single too).
    """

    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.welcomed_at is not None:
        return False
    notify(kind="welcome", recipient=user, about=user, context={"user": user})
    user.welcomed_at = timezone.now()
    user.save(update_fields=["welcomed_at"])
    return True


def member_update_profile(*, user: User, data: dict) -> User:
    for field, value in data.items():
        setattr(user, field, value)
    user.full_clean()
    user.save()
    return user
