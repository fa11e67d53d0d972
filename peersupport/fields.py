"""Model fields and constraints many apps declare the same way."""

from django.conf import settings
from django.db import models


def belongs_to(model, related_name: str = "+", **options) -> models.ForeignKey:
    """The `model` row (a group, a meeting, an organisation) this row is part of: it goes
    when that row is deleted."""
    return models.ForeignKey(model, on_delete=models.CASCADE, related_name=related_name, **options)


def person(related_name: str = "+", **options) -> models.ForeignKey:
    """A person a row is about or belongs to: the row goes when their account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name=related_name, **options
    )


def person_or_null(related_name: str = "+", **options) -> models.ForeignKey:
    """A person who did or owns something. The row stays, with nobody, when their account
    is deleted (the history is the group's; the person's data is theirs to take away)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name=related_name,
        **options,
    )


def unique(fields: list[str], name: str, **options) -> models.UniqueConstraint:
    """A rule that no two rows share the values of `fields` (with `condition`, of the rows
    it matches)."""
    return models.UniqueConstraint(fields=fields, name=name, **options)
