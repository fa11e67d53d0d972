"""`|date_words`: a date written out in words, in the order the reader's language uses.

Templates name the English pattern ("l j F, H:i": "Tuesday 8 December, 21:02"); each
language may say it its own way in `peersupport/formats/<language>/formats.py`
(`WORDED_DATES`): Spanish adds "de" ("martes 8 de diciembre, 21:02"). A pattern a
language does not list is used as it is, with the month and day names translated.
Loaded on every template (settings.TEMPLATES "builtins").
"""

from __future__ import annotations

from importlib import import_module

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation

register = template.Library()
_patterns: dict[str, dict[str, str]] = {}


def worded_pattern(pattern: str, language: str | None = None) -> str:
    """`pattern` as `language` (default: the active one) writes it."""
    language = (language or translation.get_language() or "en").split("-")[0]
    if language not in _patterns:
        try:
            module = import_module(f"peersupport.formats.{language}.formats")
            _patterns[language] = getattr(module, "WORDED_DATES", {})
        except ImportError:
            _patterns[language] = {}
    return _patterns[language].get(pattern, pattern)


@register.filter(expects_localtime=True, is_safe=False)
def date_words(value, pattern: str):
    return date_filter(value, worded_pattern(pattern))
