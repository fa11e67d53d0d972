from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.fields import GenericForeignKey, person, unique
from peersupport.timezones import time_zone_choices as curated


def time_zone_choices() -> list:
    """The curated chooser (common zones first, then by region): `peersupport.timezones`."""

    return curated()


class UserManager(BaseUserManager):
    """Email is the login; there is no username."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person with an account. Other members only ever see `display_name`."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=40,
        help_text=_("How other members see you: a first name or an alias."),
    )
    full_name = models.CharField(
        _("full name"),
        max_length=150,
        blank=True,
        help_text=_("Only your group's facilitators can see this."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", choices=time_zone_choices
    )
    discreet_mode = models.BooleanField(
        _("discreet mode"),
        default=False,
        help_text=_(
            "Keep group names and topics out of email subjects and previews, "
            "for example on a shared or work device."
        ),
    )
    # Empty: follow the browser (then the organisation's default); see peersupport.language.
    preferred_language = models.CharField(
        _("language"),
        max_length=8,
        default="",
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of these pages, your emails and your calendar."),
    )
    welcomed_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("member account")
        verbose_name_plural = _("member accounts")

    def get_session_auth_hash(self) -> str:
        # The row cache's copy of an account carries this hash instead of the password
        # (peersupport/auth.py); with the password loaded, Django computes it as always.
        cached = self.__dict__.get("_ps_session_auth_hash")
        if cached is not None and "password" not in self.__dict__:
            return cached
        return super().get_session_auth_hash()

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.display_name

    def get_short_name(self) -> str:
        return self.display_name


# --- Notifications: preferences, the delivery ledger, bounces -----------------------------
# Everything below belongs to the notification layer (`members/notifications/`).

# Minutes before the start a meeting reminder may go out at (members and groups choose).
OFFSET_CHOICES: list[tuple[int, str]] = [
    (10080, _("1 week before")),
    (2880, _("2 days before")),
    (1440, _("1 day before")),
    (240, _("4 hours before")),
    (120, _("2 hours before")),
    (60, _("1 hour before")),
]
DEFAULT_OFFSETS = [1440, 120]


class NotificationPreference(models.Model):
    """What one member wants by email. No row means every default applies."""

    class Digest(models.TextChoices):
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Once a week (Mondays)")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    # Kinds this member turned off by email (one-click unsubscribe adds to it).
    muted_kinds = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    # Kinds this member turned off in the app (the bell): the other channel, same meaning.
    app_muted_kinds = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    # Minutes before a meeting; empty means "as my group sets it".
    reminder_offsets = ArrayField(models.PositiveIntegerField(), default=list, blank=True)
    digest_frequency = models.CharField(
        _("facilitator digest"), max_length=10, choices=Digest.choices, default=Digest.WEEKLY
    )
    # Quiet hours, in the member's own time zone: no email is sent between these times
    # (held until they end). Off while either is empty.
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    # Safeguarding messages (a concern, an escalation, a request for support) go out at
    # once unless the member chose to hold them too.
    quiet_holds_urgent = models.BooleanField(_("hold urgent emails too"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"notification preferences of {self.user}"

    @property
    def has_quiet_hours(self) -> bool:
        return (
            self.quiet_from is not None
            and self.quiet_until is not None
            and self.quiet_from != self.quiet_until
        )


class Delivery(models.Model):
    """One message to one person about one thing: the ledger that makes sending exactly once.

    The unique constraint means a second `notify` (a retried task, beat firing twice) finds
    the row instead of creating another; the delivery task claims the row with a conditional
    UPDATE before talking to SMTP, so two workers never send the same row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        SKIPPED = "skipped", _("Skipped")

    kind = models.CharField(max_length=40)
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    about_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("about_type", "about_id")
    # Tells apart several messages of one kind about one thing (e.g. "1440" and "120" min).
    key = models.CharField(max_length=80, blank=True, default="")
    recipient = person("deliveries")
    message_id = models.CharField(max_length=200, unique=True, editable=False)
    context = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("deliveries")
        constraints = [
            unique(
                ["kind", "about_type", "about_id", "key", "recipient"],
                name="one_delivery_per_message",
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                name="delivery_unfinished",
                condition=Q(status__in=["pending", "sending", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} ({self.status})"


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One message in a member's notifications list (the bell), written by `notify` for
    kinds that go to the app. Keyed like its `Delivery` row: a second `notify` for the same
    message finds it and writes nothing.

    `title` is plain text (a meeting, a group: what the notice is about), escaped where it
    is shown; the sentence around it is the kind's, translated when the list is shown.
    """

    kind = models.CharField(max_length=40)
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    about_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=80, blank=True, default="")
    recipient = person("notices")
    title = models.CharField(max_length=200, blank=True)
    link = models.CharField(max_length=300, blank=True)  # a path on this site
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        constraints = [
            unique(
                ["kind", "about_type", "about_id", "key", "recipient"],
                name="one_notice_per_message",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notice_list"),
            models.Index(
                fields=["recipient"], name="notice_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailBounce(models.Model):
    """An address the mail server refused for good: we stop writing to it."""

    email = models.EmailField(unique=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email


class ReminderSetting(models.Model):
    """How long before each meeting of a group its members are reminded."""

    group = models.OneToOneField(
        "groups.PeerGroup", on_delete=models.CASCADE, related_name="reminder_setting"
    )
    offsets = ArrayField(models.PositiveIntegerField(), default=list)

    def __str__(self) -> str:
        return f"reminders of {self.group}"


class ReminderRun(models.Model):
    """Stamped when the reminders of one meeting at one offset were fanned out."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    offset = models.PositiveIntegerField()
    # The start time reminded of: a meeting moved later gets its reminders again.
    starts_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            unique(["meeting", "offset", "starts_at"], name="one_run_per_offset_and_start")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} at -{self.offset} min"
