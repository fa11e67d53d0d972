"""A person's choice of language for pages, emails and calendar summaries."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members.models import User
from peersupport.language import supported


def language_choices() -> list[tuple[str, str]]:
    """The profile's choices: follow the browser, then each language in its own name."""
    return [("", _("Follow my browser")), *settings.LANGUAGES]


def language_choose(*, user: User, code: str) -> str:
    """Keep `code` as `user`'s language; returns the language now chosen."""
    chosen = supported(code)
    if user.preferred_language != chosen:
        user.preferred_language = chosen
        user.save(update_fields=["preferred_language"])
    return chosen
