"""The audit log of sensitive actions, readable by an organisation's organizers."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.fields import person_or_null


class AuditEntry(models.Model):
    """Who did what sensitive thing, when. Kept when people delete their accounts.

    `actor` and `subject` are SET_NULL: the entry survives as evidence without identity.
    """

    organisation = models.ForeignKey(
        "groups.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor = person_or_null()
    subject = person_or_null()
    action = models.CharField(_("action"), max_length=40)
    target_repr = models.CharField(_("about"), max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="audit_org_time")]

    def __str__(self) -> str:
        return f"{self.action}: {self.target_repr}"
