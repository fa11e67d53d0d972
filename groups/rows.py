"""What renews the row cache's scopes (`peersupport.rowcache`) when groups' rows change.

"person:<id>": that person's memberships, organisation roles and signatures.
"groups": every group, organisation and agreement version (they change rarely, and a
new agreement version changes the signing status of everyone in the group at once).
Account changes renew "person:<id>" and "people" in `members.receivers`.
"""

from __future__ import annotations

from peersupport import rowcache
from peersupport.rowcache import renewer


def _person(instance) -> list[str]:
    user_id = getattr(instance, "user_id", None) or getattr(instance, "member_id", None)
    return [f"person:{user_id}"] if user_id else []


def _all_groups(instance) -> list[str]:
    return ["groups"]


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
