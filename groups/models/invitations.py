"""Invitations to help run an organisation or a group: nothing changes until accepted."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.models.core import Organisation, PeerGroup
from peersupport.fields import person, person_or_null, unique


def role_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class RoleInvitation(models.Model):
    """An organizer asked a person to become an organizer or a safeguarding lead of the
    organisation, or a facilitator of one of its groups.

    Until the person accepts, they hold no role: no role row, no two-step demand, no
    contact details shown to anyone. Declining deletes the row; so does accepting (the
    role row and the audit entry then say what happened). Only made for existing accounts,
    and the appointer is told the same ("invitation sent") either way.
    """

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        SAFEGUARDING_LEAD = "safeguarding", _("Safeguarding lead")
        FACILITATOR = "facilitator", _("Facilitator")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    invitee = person("role_invitations")
    invited_by = person_or_null()
    token = models.CharField(max_length=64, unique=True, default=role_invitation_token)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            unique(
                ["invitee", "organisation", "role"],
                condition=Q(group__isnull=True),
                name="one_organizer_invitation_per_person",
            ),
            unique(
                ["invitee", "group", "role"],
                condition=Q(group__isnull=False),
                name="one_facilitator_invitation_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}: {self.role}"
