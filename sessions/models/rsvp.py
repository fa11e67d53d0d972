"""Who comes to a meeting (RSVP, seats, waitlist), calendar feeds and community events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.fields import person, person_or_null, unique
from sessions.models.meetings import Meeting, SeatKind


class AnswerMeaning:
    """What an RSVP's `status` means for a seat: shared by the row and the plain copy the
    meeting page keeps of the reader's own answer (`sessions.selectors.rsvp.OwnRsvp`)."""

    status: str

    @property
    def is_going(self) -> bool:
        return self.status == Rsvp.Status.GOING

    @property
    def is_waitlisted(self) -> bool:
        return self.status == Rsvp.Status.WAITLISTED

    @property
    def is_holding(self) -> bool:
        """Going or waiting: the person holds a seat or a place in line."""
        return self.status != Rsvp.Status.NOT_GOING


class Rsvp(AnswerMeaning, models.Model):
    """Whether a member comes to a meeting. Seats are counted under a lock on the meeting."""

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        NOT_GOING = "not_going", _("Not going")
        WAITLISTED = "waitlisted", _("On the waitlist")

    Mode = SeatKind

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = person("rsvps")
    status = models.CharField(max_length=10, choices=Status.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    # Waitlist order: set when the member joins the waitlist (under the meeting's lock).
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # Stamped when the confirmation went out for the current "going", so retries mail once.
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the member asks for to take part (a seat near the door, captions): seen only by
    # the member and the meeting's facilitators (`sessions.selectors.rsvp`).
    access_needs = models.TextField(_("access needs"), blank=True, max_length=500, db_default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            unique(["meeting", "user"], name="one_rsvp_per_meeting"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="waitlisted_rsvp_has_a_place_in_line",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status", "mode"], name="rsvp_meeting_status")]

    def __str__(self) -> str:
        return f"{self.user} {self.status} {self.meeting_id}"


class CalendarFeed(models.Model):
    """A member's private iCal feed: the random token is the only key; rotating revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"


class CommunityEvent(models.Model):
    """An organisation's public event or workshop: open to any signed-in account."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        "groups.Organisation", on_delete=models.CASCADE, related_name="community_events"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    # Public events: the place and link are public too.
    place = models.TextField(_("place"), blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = person_or_null()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="event_org_start")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:event_detail", args=[self.pk])

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_open(self) -> bool:
        """Scheduled and not started yet: it still takes RSVPs."""
        return self.status == self.Status.SCHEDULED and not self.is_past

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class EventRsvp(models.Model):
    """An RSVP to a community event; same seat rules as meetings, one capacity."""

    event = models.ForeignKey(CommunityEvent, on_delete=models.CASCADE, related_name="rsvps")
    user = person()
    status = models.CharField(max_length=10, choices=Rsvp.Status.choices)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            unique(["event", "user"], name="one_rsvp_per_event"),
        ]
        indexes = [models.Index(fields=["event", "status"], name="event_rsvp_status")]

    def __str__(self) -> str:
        return f"{self.user} {self.status} {self.event_id}"
