"""Meetings: single and recurring, with agendas, rotating roles, attendance and notes.

The model is `Meeting`, never `Session`, so nobody confuses it with a login session.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import PeerGroup


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
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    materialised_until = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
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


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def scheduled(self):
        return self.filter(status=Meeting.Status.SCHEDULED)


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
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings_facilitated",
    )
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
    # RSVP and calendar (issue 7): RSVP closes this many hours before the start (0: at the
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
            models.UniqueConstraint(
                fields=["series", "series_date"],
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
    def effective_place(self) -> str:
        return self.place or self.group.place

    @property
    def effective_online_link(self) -> str:
        return self.online_link or self.group.online_link


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
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(is_group_default=True),
                name="one_default_agenda_template_per_group",
            )
        ]

    def __str__(self) -> str:
        return self.name


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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_roles"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "role"], name="one_person_per_meeting_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class RoleWillingness(models.Model):
    """A member has opted in to take a role in their group's meetings."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=15, choices=MeetingRole.Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user", "role"], name="willing_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} is willing to be {self.role}"


class Attendance(models.Model):
    """Marked by facilitators; members never see each other's attendance."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_meeting")
        ]
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


class MeetingNote(models.Model):
    """Private to the group's facilitators; purged after the organisation's retention period."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"note on {self.meeting}"


# --- RSVP, attendance statements, calendar feeds, community events (issue 7) ------------
class Rsvp(models.Model):
    """Whether a member comes to a meeting. Seats are counted under a lock on the meeting."""

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        NOT_GOING = "not_going", _("Not going")
        WAITLISTED = "waitlisted", _("On the waitlist")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    # Waitlist order: set when the member joins the waitlist (under the meeting's lock).
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # Stamped when the confirmation went out for the current "going", so retries mail once.
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_rsvp_per_meeting"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="waitlisted_rsvp_has_a_place_in_line",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status", "mode"], name="rsvp_meeting_status")]

    def __str__(self) -> str:
        return f"{self.user} {self.status} {self.meeting_id}"


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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance_statements"
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
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
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class EventRsvp(models.Model):
    """An RSVP to a community event; same seat rules as meetings, one capacity."""

    event = models.ForeignKey(CommunityEvent, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Rsvp.Status.choices)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_rsvp_per_event"),
        ]
        indexes = [models.Index(fields=["event", "status"], name="event_rsvp_status")]

    def __str__(self) -> str:
        return f"{self.user} {self.status} {self.event_id}"


# --- Facilitator debriefs (issue 11) ----------------------------------------------------
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
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    how_it_went = models.TextField(_("how it went"))
    concerns = models.TextField(_("anything of concern"), blank=True)
    escalation = models.CharField(
        max_length=8, choices=Escalation.choices, default=Escalation.NONE, db_index=True
    )
    escalation_outcome = models.TextField(_("outcome"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Debrief of meeting {self.meeting_id}"


# --- Disengagement: gentle check-ins (issue 10, item 8) --------------------------------
class GentleCheckin(models.Model):
    """A facilitator sent a member a gentle check-in: who, to whom, when; not the words.

    The words travel only with the email (the notification ledger's context, which the
    member's own data export includes): PRODUCT asks us to collect the minimum, and "a
    check-in was sent" is all the disengagement page needs.
    One per member per group per day (`sent_on`, UTC), so a double submit sends once.
    """

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gentle_checkins"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    sent_on = models.DateField(editable=False)
    # False when no email went: the page says so (and why) instead of "sent".
    emailed = models.BooleanField(default=True)
    # Why not: "muted" (they turned these emails off), "no_address" (no confirmed email
    # address), "bounced", "inactive"; see members.notifications.notification_undeliverable.
    not_sent_reason = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member", "sent_on"], name="one_gentle_checkin_a_day"
            )
        ]
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
