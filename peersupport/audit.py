"""`audit_record`: the one way to write the audit log of sensitive actions.

Services call it with a one-line addition. `target_repr` must never hold health details;
`subject` (optional) is the person the action was about, so deleting their account can
strip their identity from the entry while keeping it.

The log's table belongs to the groups app (entries are shown per organisation); it
registers how to store an entry from its `ready()` (`audit_store_register`), so apps below
it, such as members' data export, can write to the log too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_store: list[Callable[..., Any]] = []


def audit_store_register(store: Callable[..., Any]) -> None:
    """`store(actor=, action=, organisation_id=, target_repr=, details=, subject=)` writes
    one entry and returns it."""
    _store[:] = [store]


def audit_record(
    *,
    actor,
    action: str,
    organisation,
    target_repr: str,
    details: dict[str, Any] | None = None,
    subject=None,
):
    actor = actor if getattr(actor, "is_authenticated", False) else None
    # An id is accepted too, so callers holding only `group.organisation_id` add no query.
    organisation_id = getattr(organisation, "pk", organisation)
    (store,) = _store
    return store(
        actor=actor,
        action=action,
        organisation_id=organisation_id,
        target_repr=target_repr[:200],
        details=details or {},
        subject=subject,
    )
