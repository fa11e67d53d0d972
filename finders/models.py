"""Other organisations' Meeting Guide feeds an organisation reads into the directory."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Organisation
from peersupport.fields import belongs_to, person_or_null

# A feed failing this long gets its organisers warned (as the Meeting Guide importer does).
WARN_AFTER = datetime.timedelta(hours=72)
# Each feed is read again this long after its last attempt.
FETCH_EVERY = datetime.timedelta(hours=12)


class FeedSourceQuerySet(models.QuerySet):
    def due(self, *, now: datetime.datetime | None = None) -> FeedSourceQuerySet:
        """Never read, or last read at least FETCH_EVERY ago."""
        cutoff = (now or timezone.now()) - FETCH_EVERY
        return self.filter(models.Q(fetched_at__isnull=True) | models.Q(fetched_at__lte=cutoff))


class FeedSource(models.Model):
    """A feed and the last good copy of its meetings (only records that passed every rule
    of the specification, all of them from one fetch)."""

    organisation = belongs_to(Organisation, "finder_sources")
    name = models.CharField(
        _("who runs these groups"),
        max_length=120,
        help_text=_('Shown as "Nearby groups from …" in the directory.'),
    )
    url = models.URLField(_("feed address"), max_length=500)
    added_by = person_or_null()
    # The last good copy: what the directory shows, kept while later fetches fail.
    meetings = models.JSONField(default=list, blank=True, editable=False)
    meeting_count = models.PositiveIntegerField(default=0, editable=False)
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedSourceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url"], name="one_source_per_feed")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_failing(self) -> bool:
        return self.failing_since is not None

    @property
    def failing_long(self) -> bool:
        """Failing for WARN_AFTER or more: the organisers are told."""
        return self.is_failing and timezone.now() - self.failing_since >= WARN_AFTER
