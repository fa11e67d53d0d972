"""What renews the row cache's scopes (`peersupport.rowcache`) when groups' rows change.

"person:<id>": that person's memberships, organisation roles and signatures.
"groups": every group, organisation and agreement version (they change rarely, and a
new agreement version changes the signing status of everyone in the group at once).
Account changes renew "person:<id>" and "people" in `members.receivers`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache

from peersupport import rowcache
from peersupport.rowcache import renewer


def _person(instance) -> list[str]:
    user_id = getattr(instance, "user_id", None) or getattr(instance, "member_id", None)
    return [f"person:{user_id}"] if user_id else []


def _all_groups(instance) -> list[str]:
    return ["groups"]


# --- Which organisation a changed row belongs to --------------------------------------
# Receivers of several caches (a meeting's rows, the dashboards) renew per organisation.
# A group never moves to another organisation, so the lookup is kept a day.
LOOKUP_SECONDS = 24 * 3600


def _loaded(instance, name: str):
    """The related object `name` if this instance already holds it (no query), else None."""
    return instance._meta.get_field(name).get_cached_value(instance, default=None)


def _looked_up(model, pk: int | None, path: str) -> int | None:
    """`model` row `pk`'s organisation id by `path`, kept in the cache (None: no such row)."""
    if pk is None:
        return None
    key = f"organisation-of:{model._meta.label_lower}:{pk}"
    found = cache.get(key)
    if found is None:
        found = model.objects.filter(pk=pk).values_list(path, flat=True).first()
        if found is not None:
            cache.set(key, found, LOOKUP_SECONDS)
    return found


def organisation_of_group_row(instance) -> int | None:
    """For rows of a group (memberships, meetings, suggestions, goals, reviews)."""
    from groups.models import PeerGroup

    group = _loaded(instance, "group")
    if group is not None:
        return group.organisation_id
    return _looked_up(PeerGroup, instance.group_id, "organisation_id")


def organisation_via(field: str) -> Callable[[object], int | None]:
    """For rows of a group's row: RSVPs, attendance, agenda items and roles of a meeting,
    answers to a review, notes on a group goal."""

    def organisation(instance) -> int | None:
        parent = _loaded(instance, field)
        if parent is not None:
            return organisation_of_group_row(parent)
        model = instance._meta.get_field(field).related_model
        return _looked_up(model, getattr(instance, f"{field}_id"), "group__organisation_id")

    return organisation


def connect() -> None:
    """Called from GroupsConfig.ready, so web servers, workers and commands all renew."""
    from groups.models import (
        AgreementVersion,
        Membership,
        Organisation,
        OrganisationRole,
        PeerGroup,
        Signature,
    )

    rowcache.on_save_and_delete(
        "rows",
        [
            (Membership, renewer(_person)),
            (OrganisationRole, renewer(_person)),
            (Signature, renewer(_person)),
            (PeerGroup, renewer(_all_groups)),
            (Organisation, renewer(_all_groups)),
            (AgreementVersion, renewer(_all_groups)),
        ],
    )
