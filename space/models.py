"""The group space: threads and their posts, who takes part under which name, reports,
and the settings of a group and of an organisation."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peersupport.fields import belongs_to, person, person_or_null, unique

BODY_MAX = 5000
TITLE_MAX = 120
PSEUDONYM_MAX = 40


class OrganisationSpacePolicy(models.Model):
    """An organisation's choices for every group space: watched words, what a match does,
    how long posts are kept. Organisations without a row use the defaults."""

    class OnMatch(models.TextChoices):
        PUBLISH = "publish", _("Publish the post, and alert the facilitators")
        HOLD = "hold", _("Hold the post until a facilitator has read it, and alert them")

    organisation = models.OneToOneField(
        "groups.Organisation", on_delete=models.CASCADE, related_name="space_policy"
    )
    watched_phrases = models.TextField(
        _("watched words and phrases"),
        blank=True,
        help_text=_("One per line. Capitals, accents, spaces and punctuation are ignored."),
    )
    on_match = models.CharField(
        _("when a post matches"), max_length=10, choices=OnMatch.choices, default=OnMatch.PUBLISH
    )
    post_retention_days = models.PositiveIntegerField(
        _("keep posts for (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep posts while the group exists."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Space policy of organisation {self.organisation_id}"


class GroupSpaceSettings(models.Model):
    """What the facilitators chose for their group's space."""

    group = models.OneToOneField(
        "groups.PeerGroup", on_delete=models.CASCADE, related_name="space_settings"
    )
    pseudonyms_allowed = models.BooleanField(
        _("members may post under a pseudonym"),
        default=False,
        help_text=_("Other members cannot tell who is behind a pseudonym; facilitators can."),
    )
    approve_first_posts = models.BooleanField(
        _("a new member's first post waits for a facilitator's approval"), default=False
    )

    def __str__(self) -> str:
        return f"Space settings of group {self.group_id}"


class Participant(models.Model):
    """One person in one group's space: their pseudonym, whether they read while on a
    break, whether their posts still wait for approval, a suspension."""

    group = belongs_to("groups.PeerGroup")
    user = person("space_participations")
    pseudonym = models.CharField(_("pseudonym"), max_length=PSEUDONYM_MAX, blank=True)
    use_pseudonym = models.BooleanField(_("post under my pseudonym"), default=False)
    reads_on_break = models.BooleanField(_("read the space while I'm on a break"), default=False)
    approved = models.BooleanField(default=False)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("group-space setting")
        constraints = [
            unique(["group", "user"], name="one_participant_per_group"),
            unique(
                ["group", "pseudonym"],
                condition=~Q(pseudonym=""),
                name="one_pseudonym_per_group",
            ),
        ]

    def __str__(self) -> str:
        return f"Participant {self.pk}"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()


class ThreadQuerySet(models.QuerySet):
    def board_order(self) -> ThreadQuerySet:
        """Pinned first, then the most recently active."""
        return self.order_by("-pinned", "-last_post_at", "-pk")


class Thread(models.Model):
    group = belongs_to("groups.PeerGroup", "space_threads")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    author = person_or_null("space_threads")
    # The name the opener was shown under when it was written ("" = their display name).
    pseudonym = models.CharField(max_length=PSEUDONYM_MAX, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    slow_mode_minutes = models.PositiveSmallIntegerField(
        _("slow mode (minutes between replies of one member)"), default=0
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("group-space thread")
        indexes = [
            models.Index(
                fields=["group", "-pinned", "-last_post_at", "-id"], name="space_board_order"
            )
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("space:thread", args=[self.group.slug, self.pk])


class PostQuerySet(models.QuerySet):
    def shown(self) -> PostQuerySet:
        """Posts every reader of the space sees (as a post, or as a 'removed' line)."""
        return self.filter(status__in=Post.SHOWN)


class Post(models.Model):
    """The opener of a thread or a reply. `author` goes (SET_NULL) when the account is
    deleted: the post then reads "a former member"."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        AWAITING_APPROVAL = "awaiting", _("Waiting for a facilitator's approval")
        HELD = "held", _("Held for a facilitator to read")
        HIDDEN = "hidden", _("Hidden after reports, waiting for review")
        REMOVED_BY_AUTHOR = "deleted", _("Removed by the author")
        REMOVED = "removed", _("Removed by a facilitator")

    thread = belongs_to(Thread, "posts")
    author = person_or_null("space_posts")
    pseudonym = models.CharField(max_length=PSEUDONYM_MAX, blank=True)
    body = models.TextField(_("message"), max_length=BODY_MAX)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    watched_match = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    moderated_by = person_or_null()
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(blank=True)

    objects = PostQuerySet.as_manager()

    # Shown in the thread to every reader; removed ones as a line saying so.
    SHOWN = (Status.PUBLISHED, Status.REMOVED_BY_AUTHOR, Status.REMOVED)
    # Waiting for a facilitator: the moderation queue.
    WAITING = (Status.AWAITING_APPROVAL, Status.HELD, Status.HIDDEN)
    # Shown as a line saying the post was removed, and by whom.
    REMOVED = (Status.REMOVED_BY_AUTHOR, Status.REMOVED)

    class Meta:
        verbose_name = _("group-space post")
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="space_thread_posts"),
            models.Index(fields=["author", "created_at"], name="space_author_posts"),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_removed(self) -> bool:
        return self.status in self.REMOVED

    @property
    def is_removed_by_author(self) -> bool:
        return self.status == self.Status.REMOVED_BY_AUTHOR

    @property
    def is_awaiting_approval(self) -> bool:
        return self.status == self.Status.AWAITING_APPROVAL

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING


class Report(models.Model):
    """A reader's report of a post. The author is never shown who reported."""

    class Reason(models.TextChoices):
        DISRESPECT = "disrespect", _("It is disrespectful or hurtful")
        CONFIDENTIALITY = "confidentiality", _("It shares something that should stay private")
        WORRIED = "worried", _("I'm worried about the person who wrote it")
        SPAM = "spam", _("It is spam or advertising")
        OTHER = "other", _("Something else")

    post = belongs_to(Post, "reports")
    reporter = person_or_null("space_reports")
    reason = models.CharField(_("why"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("anything the facilitators should know (optional)"), blank=True)
    by_facilitator = models.BooleanField(default=False)
    # Set when a facilitator restored the post: the report no longer counts.
    dismissed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("group-space report")
        constraints = [unique(["post", "reporter"], name="one_report_per_person_per_post")]

    def __str__(self) -> str:
        return f"Report {self.pk}"
