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
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.hooks import account_delete_refusal, account_delete_steps
from members.models import EmailBounce

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


# --- The same records for people to read -------------------------------------------------
# Related rows named by their own names (the member's groups, organisations, meetings);
# any other related row is named by its kind and number, never by another person's name.
NAMED_MODELS = {"groups.peergroup", "groups.organisation"}


def _readable_json(value):
    """Stored structures without machine parts: attachments by file name (no base64),
    references to rows as "meeting 12" (no content-type or model labels)."""
    if isinstance(value, dict):
        if "b64" in value:
            return f"{value.get('filename', 'attachment')} ({value.get('mimetype', '')})"
        if "$model" in value:
            model = apps.get_model(value["$model"])
            return f"{model._meta.verbose_name} {value.get('pk')}"
        if "$datetime" in value or "$date" in value:
            return value.get("$datetime") or value.get("$date")
        return {str(k).replace("_", " "): _readable_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable_json(v) for v in value]
    return value


def _readable_value(obj: models.Model, field, user_id: int, names: dict):
    from django.contrib.contenttypes.models import ContentType

    if field.is_relation:
        pk = getattr(obj, field.attname)
        related = field.remote_field.model
        if pk is None:
            return ""
        if related is get_user_model():
            return _("you") if pk == user_id else _("another person")
        if related is ContentType:
            model = ContentType.objects.get_for_id(pk).model_class()
            return str(model._meta.verbose_name) if model else ""
        key = (related._meta.label_lower, pk)
        if key not in names:
            if related._meta.label_lower in NAMED_MODELS:
                names[key] = str(related._default_manager.filter(pk=pk).first() or "")
            elif related._meta.label_lower == "meetings.meeting":
                meeting = related._default_manager.select_related("group").filter(pk=pk).first()
                names[key] = (
                    _("meeting of %(group)s on %(day)s")
                    % {
                        "group": meeting.group.name,
                        "day": formats.date_format(
                            timezone.localtime(meeting.starts_at), "DATE_FORMAT"
                        ),
                    }
                    if meeting
                    else ""
                )
            else:
                names[key] = f"{related._meta.verbose_name} {pk}"
        return names[key]
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(field, models.JSONField):
        return _readable_json(value)
    return _plain(value)


def _readable_row(obj: models.Model, user_id: int, names: dict) -> dict:
    """One row for people: labels instead of column names, names instead of ids."""
    row = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or any(word in field.name for word in SECRET_WORDS):
            continue
        label = str(field.verbose_name)
        row[label[:1].upper() + label[1:]] = _readable_value(obj, field, user_id, names)
    return row


def member_data_readable_sections(*, user) -> Iterator[tuple[str, Iterator[dict]]]:
    """The same records as `member_data_sections`, as a person would read them."""
    names: dict = {}
    for model, field in _user_relations():
        queryset = model._default_manager.filter(**{field.name: user.pk}).order_by("pk")
        if not queryset.exists():
            continue
        plural = str(model._meta.verbose_name_plural)
        title = plural[:1].upper() + plural[1:]
        if field.name not in ("user", "member", "recipient"):
            title = f"{title} ({field.verbose_name})"
        yield title, (_readable_row(obj, user.pk, names) for obj in queryset.iterator(500))


def member_account_delete_check(*, user) -> None:
    """Raise MemberDataError when an app says the account cannot go now (the groups app:
    it would leave a group without a facilitator)."""
    reason = account_delete_refusal(user)
    if reason:
        raise MemberDataError(reason)


def _all_user_relations():
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.remote_field.model is user_model:
                yield model, field


@transaction.atomic
def member_account_delete(*, user) -> None:
    """Remove the person: their own records go, shared records stay without identity."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    member_account_delete_check(user=user)
    # What the apps above keep of the person (memberships, signatures, audit entries),
    # cleared before the loop below unlinks their rows.
    for step in account_delete_steps():
        step(user)
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
