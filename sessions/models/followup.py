"""After a meeting: attendance, attendance statements, debriefs and gentle check-ins."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import PeerGroup
from peersupport.fields import person, person_or_null, unique
from sessions.models.meetings import Meeting


class Attendance(models.Model):
    """Marked by facilitators; members never see each other's attendance."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = person("attendance")
    status = models.CharField(max_length=10, choices=Status.choices)
    marked_by = person_or_null()
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [unique(["meeting", "user"], name="one_attendance_per_meeting")]
        indexes = [
            models.Index(fields=["user", "status"], name="attendance_user_status"),
            # Dashboards: who came to a period's meetings, from the index alone instead of
            # a scan of every attendance row (bench/README.md, "Dashboard at scale").
            models.Index(
                fields=["meeting", "status"], include=["user"], name="attendance_meeting_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.status}"


def statement_public_id() -> str:
    """The statement's address: 192 random bits, nothing to guess or count from."""
    return secrets.token_urlsafe(24)


class AttendanceStatement(models.Model):
    """A member's own record of meetings attended, as issued (facts frozen at issue time).

    The public verification link carries `public_id`, a random value unrelated to the row's
    id (ids are sequential and would let anyone walk other members' statements); the page
    shows the facts below and nothing else about the person. A statement stops verifying
    when it expires or its owner revokes it.
    """

    user = person("attendance_statements")
    organisation = models.ForeignKey(
        "groups.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    include_group = models.BooleanField(default=False)
    # {"name": ..., "organisation": ..., "meetings": [{"date", "minutes", "group"}...]}
    facts = models.JSONField(default=dict)
    issued_at = models.DateTimeField(default=timezone.now)
    public_id = models.CharField(max_length=64, unique=True, default=statement_public_id)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"attendance statement {self.pk}"


class Debrief(models.Model):
    """After a meeting, the facilitators' private note: how it went, anything of concern.

    `escalate` sends it to the organisation's safeguarding lead, who closes it with an
    outcome; until then it is an open escalation.
    """

    class Escalation(models.TextChoices):
        NONE = "none", _("Not escalated")
        OPEN = "open", _("Escalated, open")
        CLOSED = "closed", _("Escalated, closed")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="debrief")
    author = person_or_null()
    how_it_went = models.TextField(_("how it went"))
    concerns = models.TextField(_("anything of concern"), blank=True)
    escalation = models.CharField(
        max_length=8, choices=Escalation.choices, default=Escalation.NONE, db_index=True
    )
    escalation_outcome = models.TextField(_("outcome"), blank=True)
    closed_by = person_or_null()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Debrief of meeting {self.meeting_id}"

    @property
    def is_escalation_open(self) -> bool:
        return self.escalation == self.Escalation.OPEN


class GentleCheckin(models.Model):
    """A facilitator sent a member a gentle check-in: who, to whom, when; not the words.

    The words travel only with the email (the notification ledger's context, which the
    member's own data export includes): PRODUCT asks us to collect the minimum, and "a
    check-in was sent" is all the disengagement page needs.
    One per member per group per day (`sent_on`, UTC), so a double submit sends once.
    """

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="+")
    member = person("gentle_checkins")
    sent_by = person_or_null()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_on = models.DateField(editable=False)
    # False when no email went: the page says so (and why) instead of "sent".
    emailed = models.BooleanField(default=True)
    # Why not: "muted" (they turned these emails off), "no_address" (no confirmed email
    # address), "bounced", "inactive"; see members.notifications.notification_undeliverable.
    not_sent_reason = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [unique(["group", "member", "sent_on"], name="one_gentle_checkin_a_day")]
        indexes = [models.Index(fields=["member", "group", "-sent_at"], name="checkin_latest")]

    def __str__(self) -> str:
        return f"gentle check-in to {self.member_id} on {self.sent_on}"

    NOT_SENT_REASONS = {
        "muted": _("they turned check-in emails off"),
        "no_address": _("they have no confirmed email address"),
        "bounced": _("emails to their address bounce"),
        "inactive": _("their account is closed"),
    }

    @property
    def not_sent_reason_text(self) -> str:
        return str(self.NOT_SENT_REASONS.get(self.not_sent_reason, self.NOT_SENT_REASONS["muted"]))
