"""Confidentiality agreements and ground rules: organisation templates, each group's draft,
the immutable versions a group publishes, and the signatures members give."""

from __future__ import annotations

import hashlib

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models.core import Organisation, PeerGroup
from peersupport.fields import belongs_to, person_or_null, unique


class AgreementTemplate(models.Model):
    """An organisation's starting text of one kind; groups copy and adapt it."""

    class Kind(models.TextChoices):
        CONFIDENTIALITY = "confidentiality", _("Confidentiality agreement")
        GROUND_RULES = "ground_rules", _("Ground rules")
        ONLINE_ADDENDUM = "online_addendum", _("Online addendum")

    organisation = belongs_to(Organisation, "agreement_templates")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    updated_by = person_or_null()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "kind"]
        constraints = [unique(["organisation", "kind"], name="one_agreement_template_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.organisation}"


class AgreementDraft(models.Model):
    """The text a group's facilitators are preparing; publishing copies it into a version."""

    group = models.OneToOneField(
        PeerGroup, on_delete=models.CASCADE, related_name="agreement_draft"
    )
    text = models.TextField(
        _("agreement and ground rules"),
        help_text=_("What every member reads and signs. Start each rule on its own line."),
    )
    online_addendum = models.TextField(
        _("online addendum"),
        blank=True,
        help_text=_("Only for online and hybrid groups: members acknowledge it separately."),
    )
    updated_by = person_or_null()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Draft agreement of {self.group}"


def agreement_content_hash(text: str, online_addendum: str) -> str:
    """sha256 of exactly what a member reads: the text, then the addendum (if any)."""
    content = text.strip() + "\n\n--- online addendum ---\n\n" + online_addendum.strip()
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class AgreementVersion(models.Model):
    """A published, immutable version: number 1..n per group without gaps."""

    group = models.ForeignKey(
        PeerGroup, on_delete=models.PROTECT, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("agreement and ground rules"))
    online_addendum = models.TextField(_("online addendum"), blank=True)
    content_hash = models.CharField(_("content fingerprint (sha256)"), max_length=64)
    published_by = person_or_null()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group", "-number"]
        constraints = [
            unique(["group", "number"], name="agreement_version_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="agreement_version_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement of {self.group}, version {self.number}"

    def save(self, *args, **kwargs):
        # A version is what people signed: once written it never changes.
        if self.pk is not None:
            raise ValueError("a published agreement version is immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("groups:agreement_version", args=[self.group.slug, self.number])

    @property
    def online_addendum_body(self) -> str:
        """The addendum without a first line that only repeats its heading (older default
        texts began with "Online addendum", which the page already shows above it)."""
        first, _sep, rest = self.online_addendum.strip().partition("\n")
        if first.strip().rstrip(":").casefold() in {
            "online addendum",
            str(gettext("Online addendum")).casefold(),
        }:
            return rest.strip()
        return self.online_addendum


class Signature(models.Model):
    """A member's signature of one version. Never edited; kept without identity when the
    member deletes their account (`member` becomes NULL and the typed name is blanked)."""

    group = models.ForeignKey(PeerGroup, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    member = person_or_null("agreement_signatures", blank=True)
    content_hash = models.CharField(max_length=64)
    typed_name = models.CharField(_("name as typed"), max_length=150)
    addendum_acknowledged = models.BooleanField(default=False)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-signed_at"]
        constraints = [unique(["version", "member"], name="sign_a_version_once")]
        indexes = [models.Index(fields=["member", "group"], name="signature_member_group")]

    def __str__(self) -> str:
        return f"Signature of version {self.version_id} at {self.signed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not getattr(self, "_anonymising", False):
            raise ValueError("a signature is never changed")
        super().save(*args, **kwargs)


class AgreementProposal(models.Model):
    """A member's proposed change to the ground rules, addressed to the facilitators."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the facilitators")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    group = belongs_to(PeerGroup, "agreement_proposals")
    author = person_or_null()
    text = models.TextField(_("your proposal"), max_length=4000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = person_or_null()
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Proposal for {self.group} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
