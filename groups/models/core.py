"""Organisations, their peer groups, and who belongs to them in which role."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models.access import AccessFeature, AddressPrecision
from peersupport.fields import belongs_to, person, person_or_null, unique


class Organisation(models.Model):
    """Runs groups; keeps crisis resources and a professional referral list for them."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    crisis_resources = models.TextField(
        _("crisis resources"),
        blank=True,
        help_text=_("Helplines and services, one per line: shown on every group page."),
    )
    professional_referrals = models.TextField(
        _("professional referral list"),
        blank=True,
        help_text=_("Therapists, clinics and services members can be referred to, one per line."),
    )
    notes_retention_days = models.PositiveIntegerField(
        _("keep facilitator notes for (days)"), default=90
    )
    list_in_finders = models.BooleanField(
        _("publish our groups in meeting finders"),
        default=False,
        db_default=False,
        help_text=_(
            "Groups whose facilitators also switch this on appear in our Meeting Guide feed "
            "(never their meeting place or link)."
        ),
    )
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
        help_text=_(
            "Used on your groups' pages and in emails for people who have not chosen a "
            "language and whose browser asks for none we offer."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:organisation_detail", args=[self.slug])


class OrganisationRole(models.Model):
    """An organisation-wide role: organizers run the organisation's groups."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        SAFEGUARDING_LEAD = "safeguarding", _("Safeguarding lead")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    user = person("organisation_roles")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [unique(["organisation", "user", "role"], name="one_role_per_person_per_org")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} of {self.organisation}"


class PartnerOrganisation(models.Model):
    organisation = belongs_to(Organisation, "partners")
    name = models.CharField(_("name"), max_length=120)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("what they offer"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PeerGroupQuerySet(models.QuerySet):
    def listed(self):
        """What the public directory shows: listed and active."""
        return self.filter(visibility=PeerGroup.Visibility.LISTED, status=PeerGroup.Status.ACTIVE)

    def in_meeting_finders(self):
        """What the Meeting Guide feed publishes: listed, active, and opted in by both the
        group and its organisation."""
        return self.listed().filter(list_in_finders=True, organisation__list_in_finders=True)


class PeerGroup(models.Model):
    """A peer support group. `place` and `online_link` are private (see groups.rules)."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid (in person and online)")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    class Visibility(models.TextChoices):
        LISTED = "listed", _("Listed in the directory")
        UNLISTED = "unlisted", _("Unlisted: only people with the link")
        PRIVATE = "private", _("Private: members and invited people only")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: anyone can join")
        APPROVAL = "approval", _("Approval: a facilitator reviews each request")
        INVITATION = "invitation", _("Invitation only")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ARCHIVED = "archived", _("Archived")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"), help_text=_("Why the group exists."))
    objectives = models.TextField(
        _("objectives"), blank=True, help_text=_("What members work toward, one per line.")
    )
    audience = models.CharField(
        _("who it is for"), max_length=200, help_text=_('For example "first responders".')
    )
    topics = ArrayField(
        models.CharField(max_length=40), blank=True, default=list, verbose_name=_("topics")
    )
    how_meetings_run = models.TextField(_("how meetings run"), blank=True)
    ground_rules_summary = models.TextField(_("ground rules in brief"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    city = models.CharField(
        _("town or city"), max_length=80, blank=True, help_text=_("Shown publicly.")
    )
    place = models.TextField(
        _("meeting place"),
        blank=True,
        help_text=_("Private: only active members who signed the agreement see it."),
    )
    online_link = models.URLField(
        _("online meeting link"),
        blank=True,
        max_length=500,
        help_text=_("Private: only active members who signed the agreement see it."),
    )
    frequency = models.CharField(
        _("usually meets"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    meeting_day = models.PositiveSmallIntegerField(
        _("usual day"), choices=Weekday.choices, null=True, blank=True
    )
    meeting_time = models.TimeField(_("usual start time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("usual length (minutes)"), default=90)
    capacity = models.PositiveSmallIntegerField(_("seats per meeting"), default=12)
    reveal_location_hours_before = models.PositiveSmallIntegerField(
        _("show place and link only from (hours before the start)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to show them to entitled members at any time."),
    )

    class RevealTo(models.TextChoices):
        SIGNED = "signed", _("Members who signed the agreement")
        GOING = "going", _("Members who signed the agreement and said they're going")

    reveal_location_to = models.CharField(
        _("who sees a meeting's place and link"),
        max_length=10,
        choices=RevealTo.choices,
        default=RevealTo.SIGNED,
        # Also a database default: bulk loaders (seed_scale's COPY) name no value for it.
        db_default=RevealTo.SIGNED,
        help_text=_(
            "Facilitators and organizers always see them. "
            "Choose the second to share them only with those coming."
        ),
    )
    max_members = models.PositiveSmallIntegerField(
        _("most members"),
        null=True,
        blank=True,
        help_text=_(
            "When this many members take part (active or on a break; facilitators are not "
            "counted), new requests are not taken."
        ),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.SPOKEN_LANGUAGES, default="en"
    )
    other_languages = ArrayField(
        models.CharField(max_length=8, choices=settings.SPOKEN_LANGUAGES),
        blank=True,
        default=list,
        db_default=[],
        verbose_name=_("also held in"),
    )
    access_features = ArrayField(
        models.CharField(max_length=20, choices=AccessFeature.choices),
        blank=True,
        default=list,
        db_default=[],
        verbose_name=_("access"),
    )
    # Database defaults too: bulk loaders (seed_scale's COPY) name no value for these.
    list_in_finders = models.BooleanField(
        _("list in meeting finders"),
        default=False,
        db_default=False,
        help_text=_(
            "Publish the group's name, usual time, town and landing page in the Meeting "
            "Guide feed, if your organisation does too. The place and link never are."
        ),
    )
    address_precision = models.CharField(
        _("where meeting finders place the group"),
        max_length=10,
        choices=AddressPrecision.choices,
        default=AddressPrecision.CITY,
        db_default=AddressPrecision.CITY,
    )
    street_address = models.CharField(
        _("public street address"),
        max_length=200,
        blank=True,
        db_default="",
        help_text=_('Published only if you choose it above, for example "12 Quay Street, Leith".'),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/London")
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.LISTED
    )
    join_policy = models.CharField(
        _("joining"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.APPROVAL
    )
    intake_questions = models.TextField(
        _("intake questions"),
        blank=True,
        help_text=_("Asked when someone requests to join, one question per line."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeerGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["topics"], name="group_topics_gin"),
            # The directory's access and language filters (array contains).
            GinIndex(fields=["access_features"], name="group_access_gin"),
            GinIndex(fields=["other_languages"], name="group_other_languages_gin"),
            models.Index(
                fields=["language", "format"],
                name="group_listed_idx",
                condition=Q(visibility="listed", status="active"),
            ),
            # The directory: its first page in name order, and the town filter (iexact).
            models.Index(
                fields=["name", "id"],
                name="group_directory_order_idx",
                condition=Q(visibility="listed", status="active"),
            ),
            models.Index(
                Upper("city"),
                name="group_directory_city_idx",
                condition=Q(visibility="listed", status="active"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", args=[self.slug])

    @property
    def is_active(self) -> bool:
        """Meeting and taking members (not paused, not archived)."""
        return self.status == self.Status.ACTIVE

    @property
    def languages(self) -> list[str]:
        """Every language meetings are held in, the main one first."""
        return [self.language, *(c for c in self.other_languages if c != self.language)]

    @property
    def language_names(self) -> list[str]:
        names = dict(settings.SPOKEN_LANGUAGES)
        return [names.get(code, code) for code in self.languages]

    @property
    def access_feature_names(self) -> list[str]:
        return [str(AccessFeature(f).label) for f in self.access_features if f in AccessFeature]

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    @property
    def intake_question_list(self) -> list[str]:
        return [line.strip() for line in self.intake_questions.splitlines() if line.strip()]


class MembershipQuerySet(models.QuerySet):
    def taking_part(self) -> MembershipQuerySet:
        """Members who take part in the group: active or on a break (they keep their place)."""
        return self.filter(status__in=Membership.TAKING_PART)


class Membership(models.Model):
    """One person's place in one group. History of changes is in MembershipEvent."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FACILITATOR = "facilitator", _("Facilitator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        ON_BREAK = "on_break", _("On a break")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")
        DECLINED = "declined", _("Request declined")

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="memberships")
    user = person("memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    break_until = models.DateField(_("back on"), null=True, blank=True)
    intake_answers = models.JSONField(default=list, blank=True)
    willing_to_mentor = models.BooleanField(_("happy to mentor newcomers"), default=False)
    joined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    # Statuses of people who take part: they keep their place and see the member area.
    TAKING_PART = (Status.ACTIVE, Status.ON_BREAK)

    class Meta:
        constraints = [unique(["group", "user"], name="one_membership_per_group")]
        indexes = [models.Index(fields=["user", "status"], name="membership_user_status")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.status})"

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR and self.status == self.Status.ACTIVE

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_on_break(self) -> bool:
        return self.status == self.Status.ON_BREAK

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_removed(self) -> bool:
        return self.status == self.Status.REMOVED

    @property
    def is_taking_part(self) -> bool:
        """Active or on a break: inside the group (see `MembershipQuerySet.taking_part`)."""
        return self.status in self.TAKING_PART

    # `get_role_display()` and `get_status_display()` translate every choice's label to
    # find one (they hash them all): lists of a person's groups read these instead.
    @property
    def role_label(self) -> str:
        return _choice_label(self.Role, self.role)

    @property
    def status_label(self) -> str:
        return _choice_label(self.Status, self.status)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of `value` in the reader's language; the value itself if not a choice."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class MembershipEvent(models.Model):
    """Every change of a membership, so the history is kept (who, when, why)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    role = models.CharField(max_length=12, blank=True)
    actor = person_or_null()
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status}"

    @staticmethod
    def _label(status: str) -> str:
        choices = dict(Membership.Status.choices)
        return str(choices.get(status, status)) if status else _("New")

    @property
    def from_label(self) -> str:
        """The status before, in the reader's language ("New" for a first request)."""
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A link to join an invitation-only (or any) group: single-use or until it expires."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_by = person_or_null()
    note = models.CharField(_("note for yourself"), max_length=120, blank=True)
    single_use = models.BooleanField(_("single use"), default=True)
    expires_at = models.DateTimeField(_("expires"))
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Invitation to {self.group}"

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and not (self.single_use and self.uses > 0)
        )


class Mentorship(models.Model):
    """A newcomer paired with an experienced member of the same group."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="mentorships")
    mentor = person("mentoring")
    mentee = person("mentored_by")
    paired_by = person_or_null()
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            unique(
                ["group", "mentee"],
                condition=Q(ended_at__isnull=True),
                name="one_current_mentor_per_newcomer",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="mentor_is_not_mentee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee}"


class ContactAccessLog(models.Model):
    """Every time a facilitator views a member's email or full name."""

    group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="+")
    viewer = person_or_null()
    member = person_or_null()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"contact details viewed at {self.created_at:%Y-%m-%d %H:%M}"
