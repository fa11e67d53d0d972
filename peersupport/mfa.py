"""Two-step sign-in is required of everyone who runs a group or an organisation.

Facilitators see members' contact details and private notes; organizers see whole
organisations. Their accounts are worth stealing, so before they reach any page other
than the account pages they are sent to set up an authenticator app. Members are not
forced.

Whether a person "needs MFA" is kept in the cache (`peersupport.cache`) under the scope
"person:<id>", which every save or delete of their account, memberships, roles and
authenticators renews (now and on commit), so ordinary requests run no extra query. A flag
computed inside a transaction of our own is never stored: a demotion rolled back leaves
MFA required.
"""

from __future__ import annotations

from peersupport import cache


def mfa_needed_compute(*, user_id: int) -> bool:
    """True when the person runs a group or an organisation and has no TOTP authenticator."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Exists, OuterRef

    from groups.models import Membership, OrganisationRole
    from members.models import User

    row = (
        User.objects.filter(pk=user_id)
        .annotate(
            facilitates=Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"),
                    role=Membership.Role.FACILITATOR,
                    status=Membership.Status.ACTIVE,
                )
            ),
            has_role=Exists(OrganisationRole.objects.filter(user=OuterRef("pk"))),
            has_totp=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
        )
        .values_list("facilitates", "has_role", "has_totp")
        .first()
    )
    if row is None:
        return False
    facilitates, has_role, has_totp = row
    return bool((facilitates or has_role) and not has_totp)


def runs_nothing(user) -> bool:
    """True when this request's own memberships and roles (loaded once per request for the
    permission layer and the navigation) show the person runs no group or organisation.

    Then two-step sign-in is not required and the middleware skips its cache round trip:
    most signed-in requests are members'. The data is this request's, so never stale.
    """
    from groups import selectors

    # Every organisation role (safeguarding leads too) needs two-step sign-in.
    return not (selectors.organisation_roles_of(user) or selectors.runs_any_group(user))


def mfa_needed(*, user_id: int) -> bool:
    return cache.fetch(
        f"mfa-needed:{user_id}",
        (f"person:{user_id}",),
        lambda: mfa_needed_compute(user_id=user_id),
    )
