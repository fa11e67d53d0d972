"""Data rights: everything the app holds about a member, and deleting their account.

Both walk the model registry instead of a hand-kept list, so a model added later by any
app is exported and cleaned up without anyone remembering to come back here:

- every row that points at the member is exported, with other people shown only as
  "another person" (never their ids or names);
- on deletion, rows whose foreign key CASCADEs belong to the person and are deleted,
  SET_NULL rows (signatures, audit entries, notes) are kept without identity.

The account row itself stays, emptied, because memberships point at it: group history
then reads "Former member" instead of losing its past.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.translation import gettext as _

FORMER_MEMBER = "Former member"
# Rows that are not the member's data, or are secrets no one should download.
SKIPPED_MODELS = {"mfa.authenticator", "account.emailconfirmation", "usersessions.usersession"}
SECRET_WORDS = ("password", "secret", "token", "key")
# A concern about me is not mine to download: its text could reveal who raised it.
SKIPPED_RELATIONS = {("groups.concern", "about")}
# Kept (emptied) on deletion so a group's history still has its "former member".
KEPT_ON_DELETE = {"groups.membership"}


class MemberDataError(Exception):
    """A data-rights request that cannot go ahead; the message is shown to the member."""


def _user_relations() -> list[tuple[type[models.Model], models.ForeignKey]]:
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)  # OneToOneField is a ForeignKey too
                and field.remote_field.model is user_model
                and model._meta.label_lower not in SKIPPED_MODELS
                and (model._meta.label_lower, field.name) not in SKIPPED_RELATIONS
            ):
                found.append((model, field))
    return found


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _row(obj: models.Model, user_id: int) -> dict:
    """One row as plain data: other people are "another person", secrets are left out."""
    row = {}
    for field in obj._meta.concrete_fields:
        if any(word in field.name for word in SECRET_WORDS):
            continue
        if field.is_relation:
            value = getattr(obj, field.attname)
            if field.remote_field.model is get_user_model():
                value = None if value is None else ("you" if value == user_id else "another person")
            row[field.name] = value
        else:
            row[field.name] = _plain(getattr(obj, field.attname))
    return row


def member_profile_export(*, user) -> dict:
    fields = ("email", "display_name", "full_name", "time_zone", "preferred_language")
    data = {name: getattr(user, name) for name in fields}
    data.update(discreet_mode=user.discreet_mode, date_joined=user.date_joined.isoformat())
    return data


def member_data_sections(*, user) -> Iterator[tuple[str, Iterator[dict]]]:
    """(section title, rows) for every kind of record that names the member; lazy."""
    for model, field in _user_relations():
        queryset = model._default_manager.filter(**{field.name: user.pk}).order_by("pk")
        if not queryset.exists():
            continue
        title = f"{model._meta.verbose_name_plural} ({field.verbose_name})"
        yield str(title), (_row(obj, user.pk) for obj in queryset.iterator(chunk_size=500))


def _sole_facilitator_groups(user) -> list[str]:
    from groups.models import Membership

    mine = Membership.objects.filter(
        user=user, role=Membership.Role.FACILITATOR, status=Membership.Status.ACTIVE
    ).exclude(group__status="archived")
    lonely = mine.exclude(
        group__memberships__in=Membership.objects.filter(
            role=Membership.Role.FACILITATOR, status=Membership.Status.ACTIVE
        ).exclude(user=user)
    )
    return sorted(lonely.values_list("group__name", flat=True))


def member_account_delete_check(*, user) -> None:
    """Raise MemberDataError when deleting now would leave a group without a facilitator."""
    groups = _sole_facilitator_groups(user)
    if groups:
        raise MemberDataError(
            _(
                "You are the only facilitator of %(groups)s. Please hand over to another "
                "facilitator (or ask your organizer to) before deleting your account."
            )
            % {"groups": ", ".join(groups)}
        )


def _all_user_relations():
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.remote_field.model is user_model:
                yield model, field


def _empty_memberships(user) -> None:
    from groups.models import Membership

    Membership.objects.filter(user=user).filter(
        status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING, Membership.Status.ON_BREAK]
    ).update(status=Membership.Status.LEFT)
    Membership.objects.filter(user=user).update(intake_answers=[], willing_to_mentor=False)


@transaction.atomic
def member_account_delete(*, user) -> None:
    """Remove the person: their own records go, shared records stay without identity."""
    from members.models import EmailBounce

    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    member_account_delete_check(user=user)
    _empty_memberships(user)
    _blank_signatures(user)  # these two before the loop below nulls their links
    _scrub_audit(user)
    for model, field in _all_user_relations():
        if model._meta.label_lower in KEPT_ON_DELETE:
            continue
        rows = model._default_manager.filter(**{field.name: user.pk})
        if field.null and field.remote_field.on_delete is not models.CASCADE:
            rows.update(**{field.name: None})
        else:
            rows.delete()
    EmailBounce.objects.filter(email__iexact=user.email).delete()
    user.email = f"former-member-{user.pk}@deleted.invalid"
    user.display_name = FORMER_MEMBER
    user.full_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.discreet_mode = False
    user.last_login = None
    user.set_unusable_password()  # also ends every other signed-in session of theirs
    user.save()


def _blank_signatures(user) -> None:
    """Signatures stay (the group's record) but the typed name goes, as the model says."""
    from groups.models import Signature

    Signature.objects.filter(member=user).update(typed_name="")


def _scrub_audit(user) -> None:
    """Audit entries stay (they are evidence) but no longer say who the person was."""
    from groups.models import AuditEntry

    AuditEntry.objects.filter(subject=user).update(subject=None, target_repr=FORMER_MEMBER)
