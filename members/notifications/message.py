"""Building one email from its ledger row: the template context (with what the owning
app adds through `members.hooks`), the recipient's own values, the MIME message."""

from __future__ import annotations

import base64
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from members.hooks import kind_hooks
from members.models import Delivery
from members.notifications.kinds import unsubscribe_token
from members.notifications.ledger import _thaw
from peersupport.language import for_email as email_language
from peersupport.reversing import reverse_token


class _Email(EmailMultiAlternatives):
    """Django's message with its multipart boundary chosen up front.

    Left to itself, the email package picks a boundary while writing the message and
    compiles a regular expression for it to check the text does not contain it: a fresh
    pattern per message, a tenth of a millisecond each. A random boundary that neither
    body contains needs no such check.
    """

    boundary: str | None = None

    def message(self):
        msg = super().message()
        if msg.is_multipart():
            boundary = self.boundary or "===============" + uuid.uuid4().hex + "=="
            if all(boundary not in str(part.get_payload()) for part in msg.get_payload()):
                msg.set_boundary(boundary)
        return msg


def build_message(
    *,
    message_id: str,
    attachments: list[dict],
    address: str,
    subject: str,
    text: str,
    html: str,
    unsubscribe_url: str,
) -> EmailMultiAlternatives:
    """The email of one ledger row from its rendered parts (every path uses it)."""
    message = _Email(
        subject=" ".join(subject.split()),
        body=text,
        to=[address],
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    for item in attachments:
        message.attach(item["filename"], base64.b64decode(item["b64"]), item["mimetype"])
    return message


# --- Building the email ------------------------------------------------------------------
def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def personal_values(delivery: Delivery) -> dict[str, str]:
    """What of a message is the recipient's own: their name and their signed links."""
    links = kind_hooks(delivery.kind).personal_links
    user = delivery.recipient
    token = unsubscribe_token(user=user, kind=delivery.kind)
    return {
        "name": user.display_name,
        "unsubscribe_url": _absolute(reverse_token("members:unsubscribe", token)),
        **(links(delivery) if links else {}),
    }


def notification_context(delivery: Delivery) -> dict:
    """What every email template gets, plus the context stored with the row."""
    kind_context = kind_hooks(delivery.kind).render_context
    user = delivery.recipient
    personal = personal_values(delivery)
    del personal["name"]  # templates read it from the recipient
    return {
        **_thaw(delivery.context),
        **(kind_context(delivery) if kind_context else {}),
        **personal,
        "recipient": user,
        "about": delivery.about,
        "kind": delivery.kind,
        "site_url": settings.SITE_URL,
        "discreet": user.discreet_mode,
        "preferences_url": _absolute(reverse("members:notifications")),
        "crisis_url": _absolute(reverse("crisis")),
    }


def delivery_message(*, delivery: Delivery, address: str) -> EmailMultiAlternatives:
    """Render the row's email in the recipient's language and time zone."""
    user = delivery.recipient
    context = notification_context(delivery)
    kind = delivery.kind
    language = email_language(user, delivery.about)
    with translation.override(language), timezone.override(user.time_zone):
        subject = render_to_string(f"emails/{kind}_subject.txt", context)
        text = render_to_string(f"emails/{kind}_body.txt", context)
        html = render_to_string(f"emails/{kind}_body.html", context)
    return build_message(
        message_id=delivery.message_id,
        attachments=delivery.attachments,
        address=address,
        subject=subject,
        text=text,
        html=html,
        unsubscribe_url=context["unsubscribe_url"],
    )
