"""Safety: asking for more support, concerns and mediation, retention."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.fields import person, person_or_null, unique


class SupportRequest(models.Model):
    """A member privately asks the group's facilitators to reach out."""

    class ContactWay(models.TextChoices):
        EMAIL = "email", _("By email")
        PHONE = "phone", _("By phone (I'll leave my number in the message)")
        AT_MEETING = "at_meeting", _("Quietly, at the next meeting")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a facilitator")
        HANDLED = "handled", _("A facilitator has reached out")

    group = models.ForeignKey(
        "groups.PeerGroup", on_delete=models.CASCADE, related_name="support_requests"
    )
    member = person("support_requests")
    message = models.TextField(_("anything you'd like them to know (optional)"), blank=True)
    contact_way = models.CharField(
        _("how should they reach you?"),
        max_length=12,
        choices=ContactWay.choices,
        default=ContactWay.EMAIL,
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # Raised by the app, not asked by the member (a group-space post used watched words):
    # shown first, marked urgent, with a link to where it came from.
    urgent = models.BooleanField(_("urgent"), default=False)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True, db_index=True)
    handled_by = person_or_null()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            unique(
                ["group", "member"],
                condition=Q(status="open"),
                name="one_open_support_request",
            )
        ]

    def __str__(self) -> str:
        return f"Support request {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Concern(models.Model):
    """A member's report about conduct in a group; the reporter is never shown to `about`."""

    class Status(models.TextChoices):
        OPEN = "open", _("New")
        MEDIATING = "mediating", _("Being looked into")
        CLOSED = "closed", _("Closed")

    group = models.ForeignKey("groups.PeerGroup", on_delete=models.CASCADE, related_name="concerns")
    reporter = person_or_null()
    about = person_or_null(blank=True, verbose_name=_("about a specific member (optional)"))
    description = models.TextField(_("what happened"), max_length=4000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Concern {self.pk} ({self.status})"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class MediationStep(models.Model):
    """One thing a facilitator or organizer did about a concern."""

    class Action(models.TextChoices):
        NOTE = "note", _("Note")
        PAUSED = "paused", _("Membership paused")
        REMOVED = "removed", _("Membership removed")
        CLOSED = "closed", _("Closed with an outcome")

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="steps")
    author = person_or_null()
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.NOTE)
    note = models.TextField(_("what was done"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} on concern {self.concern_id}"


class RetentionPolicy(models.Model):
    """How long an organisation keeps contact-access logs and handled follow-ups.

    Facilitator notes use Organisation.notes_retention_days (sessions purges them).
    """

    organisation = models.OneToOneField(
        "groups.Organisation", on_delete=models.CASCADE, related_name="retention"
    )
    contact_log_days = models.PositiveIntegerField(
        _("keep contact-access logs for (days)"), default=365
    )
    followup_days = models.PositiveIntegerField(
        _("keep handled support requests for (days)"), default=90
    )

    def __str__(self) -> str:
        return f"Retention of organisation {self.organisation_id}"
