"""A meeting's agenda, the group's agenda templates, and rotating roles."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import PeerGroup
from peersupport.fields import person, person_or_null, unique
from sessions.models.meetings import Meeting


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=120)
    objective = models.CharField(_("objective"), max_length=300, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    flexible = models.BooleanField(_("flexible"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="agenda_item_minutes_positive")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.minutes} min)"


class AgendaTemplate(models.Model):
    """Reusable agenda. Built-in defaults have no group; a group may keep its own."""

    class Kind(models.TextChoices):
        MENS = "mens", _("Men's peer group")
        FIRST_RESPONDERS = "first_responders", _("First responders")
        GENERAL = "general", _("General mental-health peer group")
        CUSTOM = "custom", _("Custom")

    group = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_templates"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    name = models.CharField(_("name"), max_length=120)
    is_group_default = models.BooleanField(_("new meetings start from this"), default=False)

    class Meta:
        constraints = [
            unique(
                ["group"],
                condition=Q(is_group_default=True),
                name="one_default_agenda_template_per_group",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """A built-in template's name in the reader's language; a group's own as written."""
        return gettext(self.name) if self.group_id is None else self.name


class AgendaTemplateItem(models.Model):
    template = models.ForeignKey(AgendaTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120)
    objective = models.CharField(max_length=300, blank=True)
    minutes = models.PositiveSmallIntegerField()
    flexible = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class MeetingRole(models.Model):
    """Who serves as timekeeper, note-taker, check-in lead or host of one meeting.

    "Facilitator" is only ever the group role; the rotating member who guides one meeting
    along its agenda is its "meeting host".
    """

    class Role(models.TextChoices):
        HOST = "host", _("Meeting host")
        TIMEKEEPER = "timekeeper", _("Timekeeper")
        NOTE_TAKER = "note_taker", _("Note-taker")
        CHECKIN_LEAD = "checkin_lead", _("Check-in lead")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=15, choices=Role.choices)
    user = person("meeting_roles")
    assigned_by = person_or_null()
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [unique(["meeting", "role"], name="one_person_per_meeting_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class RoleWillingness(models.Model):
    """A member has opted in to take a role in their group's meetings."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="+")
    user = person()
    role = models.CharField(max_length=15, choices=MeetingRole.Role.choices)

    class Meta:
        constraints = [unique(["group", "user", "role"], name="willing_once_per_role")]

    def __str__(self) -> str:
        return f"{self.user} is willing to be {self.role}"
