"""The short personal messages people write to each other through the site (mentor
messages, a facilitator's gentle check-in): one rule for what is accepted."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peersupport.errors import DomainError


def personal_message_clean(text: str | None, *, max_length: int) -> str:
    """The message without surrounding blanks; refuses an empty or too long one."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Please write a short message."))
    if len(text) > max_length:
        raise DomainError(_("Please keep the message under %(n)d characters.") % {"n": max_length})
    return text
