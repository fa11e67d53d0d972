"""Stamping a row's moment once: the first call sets it, a repeat (a double click, a
retried task) keeps the first time."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone


@transaction.atomic
def stamp_once(instance, field: str):
    """Lock the row, set `field` to now unless it is set already, and return the row."""
    row = type(instance).objects.select_for_update().get(pk=instance.pk)
    if getattr(row, field) is None:
        setattr(row, field, timezone.now())
        row.save(update_fields=[field])
    return row
