"""Two-step sign-in is required of everyone who runs a group or an organisation.

Facilitators see members' contact details and private notes; organizers see whole
organisations. Their accounts are worth stealing, so before they reach any page other
than the account pages they are sent to set up an authenticator app. Members are not
forced.

Whether a person "needs MFA" is cached per user and recomputed when memberships, roles or
authenticators change (and at sign-in), so ordinary requests run no extra query.
"""

from __future__ import annotations

from django.core.cache import cache

CACHE_SECONDS = 300  # bounds staleness after bulk `.update()` calls, which send no signal


def _key(user_id: int) -> str:
    return f"mfa-needed:{user_id}"


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
    needed = (facilitates or has_role) and not has_totp
    cache.set(_key(user_id), needed, CACHE_SECONDS)
    return needed


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
    cached = cache.get(_key(user_id))
    if cached is None:
        return mfa_needed_compute(user_id=user_id)
    return cached


def refresh_for_instance(sender, instance, **kwargs) -> None:
    """Signal receiver: a membership, role or authenticator of this person changed."""
    user_id = getattr(instance, "user_id", None)
    if user_id:
        mfa_needed_compute(user_id=user_id)


def refresh_on_login(sender, request, user, **kwargs) -> None:
    mfa_needed_compute(user_id=user.pk)


def connect() -> None:
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.signals import user_logged_in
    from django.db.models.signals import post_delete, post_save

    from groups.models import Membership, OrganisationRole

    for model in (Membership, OrganisationRole, Authenticator):
        post_save.connect(refresh_for_instance, sender=model, dispatch_uid=f"mfa-{model.__name__}")
        post_delete.connect(
            refresh_for_instance, sender=model, dispatch_uid=f"mfa-del-{model.__name__}"
        )
    user_logged_in.connect(refresh_on_login, dispatch_uid="mfa-login")
