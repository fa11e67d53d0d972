"""Writes about member accounts."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from members.models import User


@transaction.atomic
def member_send_welcome(*, user_id: int) -> bool:
    """Email the welcome message once per account; returns False when already sent.

    The row lock makes a duplicate task wait and then see the stamp, so two deliveries
    of the same task send one email.
    """
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.welcomed_at is not None:
        return False
    context = {"user": user, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=render_to_string("emails/welcome_subject.txt", context).strip(),
        body=render_to_string("emails/welcome_body.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/welcome_body.html", context), "text/html")
    message.send()
    user.welcomed_at = timezone.now()
    user.save(update_fields=["welcomed_at"])
    return True


def member_update_profile(*, user: User, data: dict) -> User:
    for field, value in data.items():
        setattr(user, field, value)
    user.full_clean()
    user.save()
    return user
