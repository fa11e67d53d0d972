"""Absolute links for emails rendered without a request (allauth's, for one)."""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def crisis_url() -> str:
    """The crisis resources page, as an absolute address."""
    return settings.SITE_URL + reverse("crisis")
