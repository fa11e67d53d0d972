"""Every email the product sends links to the crisis resources."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
BODIES = sorted(p.name for p in EMAILS.glob("*_body.*"))


@pytest.mark.ignore_template_errors  # a generic context: each kind reads its own values
def test_every_email_template_has_the_crisis_link(world):
    crisis = settings.SITE_URL + reverse("crisis")
    # What every notification gets at send time (members.notifications.notification_context),
    # and some values templates use; anything else renders empty.
    context = {
        "site_url": settings.SITE_URL,
        "crisis_url": crisis,
        "preferences_url": settings.SITE_URL + "/me/notifications/",
        "unsubscribe_url": settings.SITE_URL + "/me/notifications/unsubscribe/x/",
        "recipient": world.users["member"],
        "user": world.users["member"],
        "member": world.users["member"],
        "group": world.group,
        "meeting": world.meeting,
        "about": world.meeting,
        "replies": 2,  # the group space's digest counts them (a plural needs a number)
    }
    assert len(BODIES) >= 40
    missing = [n for n in BODIES if crisis not in render_to_string(f"emails/{n}", context)]
    assert not missing, f"no crisis link in {missing}"


def test_sign_up_confirmation_email_has_the_crisis_link(db, client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "password1": "a-long-enough-passphrase-1",
            "password2": "a-long-enough-passphrase-1",
            "display_name": "New Person",
        },
    )
    assert mail.outbox, "no confirmation email was sent"
    assert settings.SITE_URL + reverse("crisis") in mail.outbox[-1].body
