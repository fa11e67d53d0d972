"""What renews the row cache's scopes (`peersupport.rowcache`) when groups' rows change.

"person:<id>": that person's memberships, organisation roles and signatures.
"groups": every group, organisation and agreement version (they change rarely, and a
new agreement version changes the signing status of everyone in the group at once).
Account changes renew "person:<id>" and "people" in `members.receivers`.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

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

    for model, scopes_of in [
        (Membership, _person),
        (OrganisationRole, _person),
        (Signature, _person),
        (PeerGroup, _all_groups),
        (Organisation, _all_groups),
        (AgreementVersion, _all_groups),
    ]:
        receiver = renewer(scopes_of)
        uid = f"rows-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-del", weak=False)
