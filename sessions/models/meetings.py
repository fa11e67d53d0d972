"""Meetings, single and recurring, and the facilitators' private notes.

The model is `Meeting`, never `Session`, so nobody confuses it with a login session.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import AccessFeature, PeerGroup
from peersupport.fields import person_or_null, unique


def access_features_field() -> ArrayField:
    """Access at a meeting when it differs from the group's (empty: the group's own)."""
    return ArrayField(
        models.CharField(max_length=20, choices=AccessFeature.choices),
        blank=True,
        default=list,
        db_default=[],  # bulk loaders (seed_scale's COPY) name no value for it
        verbose_name=_("access at this meeting"),
    )


class MeetingSeries(models.Model):
    """A recurrence rule in the group's local wall-clock time; occurrences are real rows.

    Occurrences are materialised a rolling window ahead (`materialised_until`), extended by
    a periodic task. "This and following" edits end this series and start a new one.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly, on the n-th weekday")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="series")
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(_("day"), choices=PeerGroup.Weekday.choices)
    nth = models.SmallIntegerField(
        _("which week of the month"),
        null=True,
        blank=True,
        help_text=_("1 to 4 for the first to fourth, 5 for the fifth, -1 for the last."),
    )
    start_date = models.DateField(_("first meeting"))
    start_time = models.TimeField(_("start time (local)"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=90)
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of meetings"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    # What each occurrence starts with; blank place/link/format mean "the group's".
    format = models.CharField(
        _("format"), max_length=10, choices=PeerGroup.Format.choices, blank=True
    )
    place = models.TextField(_("meeting place"), blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats (in person)"), null=True, blank=True)
    online_capacity = models.PositiveSmallIntegerField(_("seats (online)"), null=True, blank=True)
    facilitator = person_or_null(blank=True)
    access_features = access_features_field()
    materialised_until = models.DateField(null=True, blank=True, editable=False)
    created_by = person_or_null()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("meeting series")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=False) | Q(count__isnull=False),
                name="series_has_an_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_frequency_display()}"


class SeatKind(models.TextChoices):
    """How a person joins a meeting; hybrid meetings count each kind of seat apart."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


@dataclass(frozen=True)
class SeatLimit:
    """One kind of seat and how many there are (for the meeting page)."""

    kind: str
    seats: int

    @property
    def online(self) -> bool:
        return self.kind == SeatKind.ONLINE


class MeetingQuerySet(models.QuerySet):
    def scheduled(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.SCHEDULED)

    def open(self, now: datetime.datetime | None = None) -> MeetingQuerySet:
        """Scheduled and not started yet (see `Meeting.is_open`)."""
        return self.scheduled().filter(starts_at__gt=now or timezone.now())


class Meeting(models.Model):
    """One meeting of a group. Place and link override the group's and are private."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    # The date this occurrence had in its series, even after it was moved: materialising
    # the window again never re-creates a moved or cancelled occurrence.
    series_date = models.DateField(null=True, blank=True, editable=False)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=PeerGroup.Format.choices)
    place = models.TextField(_("meeting place"), blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats (in person)"))
    online_capacity = models.PositiveSmallIntegerField(
        _("seats (online)"), null=True, blank=True, help_text=_("Hybrid meetings only.")
    )
    facilitator = person_or_null("meetings_facilitated", blank=True)
    access_features = access_features_field()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.TextField(_("reason"), blank=True)
    # Stamped when the cancellation emails went out, so a retried task mails nobody twice.
    cancellation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    detached = models.BooleanField(default=False, editable=False)
    # Incremented on every agenda change: two facilitators editing at once are detected.
    agenda_version = models.PositiveIntegerField(default=0, editable=False)
    # Live view state, kept on the server so a reload (or a second phone) carries on.
    live_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    live_item = models.PositiveSmallIntegerField(default=0, editable=False)
    live_item_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    speaking_order = models.JSONField(default=list, blank=True, editable=False)
    speaking_position = models.PositiveSmallIntegerField(default=0, editable=False)
    # RSVP and calendar: RSVP closes this many hours before the start (0: at the
    # start); `sequence` is the calendar invite's SEQUENCE, raised on every change.
    rsvp_closes_hours_before = models.PositiveSmallIntegerField(
        _("RSVP closes (hours before the start)"), default=0
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="ends_after_start"
            ),
            unique(
                ["series", "series_date"],
                condition=Q(series__isnull=False),
                name="one_occurrence_per_series_date",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "starts_at"], name="meeting_group_start"),
            models.Index(
                fields=["starts_at"],
                name="meeting_scheduled_start",
                condition=Q(status="scheduled"),
            ),
            # Upcoming meetings of a person's groups (facilitator dashboard, calendar
            # feeds): reads only scheduled rows, not every past meeting of each group, so
            # the cost stays flat as years of history pile up (bench/README.md, EXPLAIN).
            models.Index(
                fields=["group", "ends_at"],
                name="meeting_upcoming_by_group",
                condition=Q(status="scheduled"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} on {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    def is_open_at(self, now: datetime.datetime) -> bool:
        """Scheduled and not started by `now`: it can still be answered, changed or joined."""
        return self.status == self.Status.SCHEDULED and self.starts_at > now

    @property
    def is_open(self) -> bool:
        """Scheduled and not started yet (`Meeting.objects.open()` is the same filter)."""
        return self.is_open_at(timezone.now())

    @property
    def rsvp_closes_at(self) -> datetime.datetime:
        return self.starts_at - datetime.timedelta(hours=self.rsvp_closes_hours_before)

    @property
    def meets_in_person(self) -> bool:
        return self.format != PeerGroup.Format.ONLINE

    @property
    def meets_online(self) -> bool:
        return self.format != PeerGroup.Format.IN_PERSON

    @property
    def seat_kinds(self) -> list[str]:
        """The kinds of seat people choose from: hybrid meetings offer both."""
        if self.format == PeerGroup.Format.HYBRID:
            return [SeatKind.IN_PERSON, SeatKind.ONLINE]
        if self.format == PeerGroup.Format.ONLINE:
            return [SeatKind.ONLINE]
        return [SeatKind.IN_PERSON]

    def seat_limit(self, kind: str) -> int | None:
        """Seats of one kind; None means no limit (a hybrid meeting without online seats)."""
        if self.format == PeerGroup.Format.HYBRID and kind == SeatKind.ONLINE:
            return self.online_capacity
        return self.capacity

    @property
    def seat_limits(self) -> list[SeatLimit]:
        """The kinds of seat that have a number set, with that number."""
        limits = [SeatLimit(kind, self.seat_limit(kind)) for kind in self.seat_kinds]
        return [limit for limit in limits if limit.seats]

    @property
    def effective_place(self) -> str:
        return self.place or self.group.place

    @property
    def access_feature_names(self) -> list[str]:
        """The meeting's own access features, else the group's."""
        features = self.access_features or self.group.access_features
        return [str(AccessFeature(f).label) for f in features if f in AccessFeature]

    @property
    def effective_online_link(self) -> str:
        return self.online_link or self.group.online_link


class MeetingNote(models.Model):
    """Private to the group's facilitators; purged after the organisation's retention period."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    author = person_or_null()
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note on {self.meeting}"
