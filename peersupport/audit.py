"""`audit_record`: the one way to write the audit log of sensitive actions.

Services call it with a one-line addition. `target_repr` must never hold health details;
`subject` (optional) is the person the action was about, so deleting their account can
strip their identity from the entry while keeping it.
"""

from __future__ import annotations

from typing import Any


def audit_record(
    *,
    actor,
    action: str,
    organisation,
    target_repr: str,
    details: dict[str, Any] | None = None,
    subject=None,
):
    from groups.models import AuditEntry

    actor = actor if getattr(actor, "is_authenticated", False) else None
    # An id is accepted too, so callers holding only `group.organisation_id` add no query.
    organisation_id = getattr(organisation, "pk", organisation)
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        organisation_id=organisation_id,
        target_repr=target_repr[:200],
        details=details or {},
        subject=subject,
    )
