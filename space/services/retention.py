"""Posts older than their organisation keeps them (`OrganisationSpacePolicy`)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from space.models import OrganisationSpacePolicy, Thread


def posts_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete threads whose last post is older than the organisation's retention; a rerun
    deletes nothing more. Organisations without a period keep their threads."""
    now = now or timezone.now()
    deleted = 0
    policies = OrganisationSpacePolicy.objects.filter(post_retention_days__isnull=False)
    for policy in policies.iterator():
        cutoff = now - datetime.timedelta(days=policy.post_retention_days)
        old = Thread.objects.filter(
            group__organisation_id=policy.organisation_id, last_post_at__lt=cutoff
        )
        deleted += old.delete()[0]
    return deleted
