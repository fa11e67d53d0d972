"""Writing the delivery ledger (`notify`, `notify_many`) and handing rows to the workers
again when their task was lost, failed for now or was left half done."""

from __future__ import annotations

import base64
import datetime
import uuid
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from members.models import Delivery, NotificationPreference, User
from members.notifications.kinds import KINDS, notification_channels
from members.notifications.notices import app_wanted_by, notices_write
from peersupport.tasks import enqueue_on_commit

# A claimed row whose worker vanished is claimable again after this long; longer than
# any SMTP hand-off can take (EMAIL_TIMEOUT per socket operation). A sending worker renews
# its lease between hand-offs, so only a dead worker's rows outlive it.
SENDING_LEASE = datetime.timedelta(minutes=5)
STALE_PENDING = datetime.timedelta(minutes=10)
# A fan-out is delivered in tasks of this many rows: claimed in one statement, checked in a
# few queries and sent over one SMTP connection (see `deliveries_send`). What a batch costs
# whatever its size (the claim, the checks' queries, rendering each variant, writing its
# message skeleton, the SMTP connection, the task itself) is shared by more messages at
# 200 than at 100 (11 % fewer instructions per message, bench/README.md); a killed
# worker's batch waits out its lease. The repeat bound does not depend on it (STAMP_EVERY).
BATCH = 200


def sending_lease() -> datetime.timedelta:
    """SENDING_LEASE, read at call time so a test worker can shorten it
    (`NOTIFICATION_SENDING_LEASE_SECONDS`) and keep the mechanism."""
    seconds = getattr(settings, "NOTIFICATION_SENDING_LEASE_SECONDS", None)
    return SENDING_LEASE if seconds is None else datetime.timedelta(seconds=seconds)


# --- Writing the ledger ----------------------------------------------------------------
def _message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "peersupport.invalid"
    return make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain)


def _stored_attachments(attachments) -> list[dict]:
    stored = []
    for filename, content, mimetype in attachments or []:
        raw = content.encode() if isinstance(content, str) else content
        stored.append({"filename": filename, "mimetype": mimetype, "b64": _b64(raw)})
    return stored


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _freeze(value):
    """Make a template context storable as JSON: model instances become references
    (reloaded at send time, so the email shows the current state), datetimes ISO text."""
    if isinstance(value, models.Model):
        return {"$model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): _freeze(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_freeze(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # lazy translations, Decimals, UUIDs


def _thaw(value):
    if isinstance(value, dict):
        if "$model" in value:
            model = django_apps.get_model(value["$model"])
            return model._default_manager.filter(pk=value["pk"]).first()
        if "$datetime" in value:
            return datetime.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return datetime.date.fromisoformat(value["$date"])
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_thaw(v) for v in value]
    return value


def notify(
    *,
    kind: str,
    recipient: User,
    about,
    key: str = "",
    context: dict | None = None,
    attachments: list[tuple[str, bytes | str, str]] | None = None,
) -> bool:
    """Send `recipient` the `kind` message about `about`, exactly once per `key`.

    Returns True when a new email was queued (False: it existed, or is turned off). When
    the member wants this kind in the app, the message's notice is written with the row.

    `context` is stored on the ledger row and merged into the template context at send
    time: plain values, datetimes and model instances (stored as references and reloaded,
    like `about`, so templates show the current state). Call it inside the transaction
    that made the change: the delivery is enqueued only after commit.
    """
    if kind not in KINDS:
        raise ImproperlyConfigured(f"unknown notification kind {kind!r}")
    spec = KINDS[kind]
    channels = notification_channels(user=recipient, kind=kind)
    wanted = "email" in channels
    about_type = ContentType.objects.get_for_model(about)
    delivery, created = Delivery.objects.get_or_create(
        kind=kind,
        about_type=about_type,
        about_id=about.pk,
        key=key,
        recipient=recipient,
        defaults={
            "message_id": _message_id(),
            # A message that will never be sent keeps nothing of its words.
            "context": _freeze(context or {}) if wanted or not spec.forget_context else {},
            "attachments": _stored_attachments(attachments),
            "status": Delivery.Status.PENDING if wanted else Delivery.Status.SKIPPED,
            "last_error": "" if wanted else "turned off by the member",
        },
    )
    if created and "app" in channels:
        notices_write(
            kind=kind,
            about=about,
            about_type=about_type,
            key=key,
            recipient_ids=[recipient.pk],
            context=context or {},
        )
    if created and wanted:
        _enqueue(delivery.pk)
    return created and wanted


def notify_many(
    *, kind: str, recipients, about, key: str = "", context: dict | None = None
) -> list[int]:
    """`notify` for many recipients of one message, 1,000 at a time (reminder fan-out).

    Returns the ids of the rows it enqueued. Rows that already exist are left alone.
    Recipients of new rows who want this kind in the app get its notice.
    """
    about_type = ContentType.objects.get_for_model(about)
    frozen = _freeze(context or {})
    recipients = list(recipients)
    ids: list[int] = []
    for start in range(0, len(recipients), 1000):
        chunk = recipients[start : start + 1000]
        muted = (
            set(
                NotificationPreference.objects.filter(
                    user__in=chunk, muted_kinds__contains=[kind]
                ).values_list("user_id", flat=True)
            )
            if "email" in KINDS[kind].channels
            else {user.pk for user in chunk}  # a kind only for the app: no email at all
        )
        rows = [
            Delivery(
                kind=kind,
                about_type=about_type,
                about_id=about.pk,
                key=key,
                recipient_id=user.pk,
                message_id=_message_id(),
                context=frozen,
                status=Delivery.Status.SKIPPED if user.pk in muted else Delivery.Status.PENDING,
                last_error="turned off by the member" if user.pk in muted else "",
            )
            for user in chunk
        ]
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        # ignore_conflicts leaves no ids: read back the message ids we generated, so rows
        # that existed before (another run) are not enqueued (nor noticed) twice.
        fresh = Delivery.objects.filter(
            message_id__in=[row.message_id for row in rows]
        ).values_list("pk", "recipient_id", "status")
        ids += [pk for pk, _user, status in fresh if status == Delivery.Status.PENDING]
        notices_write(
            kind=kind,
            about=about,
            about_type=about_type,
            key=key,
            recipient_ids=app_wanted_by(kind, [user_id for _pk, user_id, _status in fresh]),
            context=context or {},
        )
    for start in range(0, len(ids), BATCH):
        _enqueue_batch(ids[start : start + BATCH])
    return ids


# The delivery tasks call this package's sending code (the tasks module imports it), so
# the tasks module is imported when a row is enqueued, not when this module loads.
def _enqueue_batch(delivery_ids: list[int]) -> None:
    from members.tasks import deliver_notifications

    enqueue_on_commit(deliver_notifications, delivery_ids)


def _enqueue(delivery_id: int) -> None:
    from members.tasks import deliver_notification

    enqueue_on_commit(deliver_notification, delivery_id)


# --- Recovering ---------------------------------------------------------------------------
def deliveries_requeue_stale(
    *,
    pending_after: datetime.timedelta = STALE_PENDING,
    lease: datetime.timedelta | None = None,
    batch: int = 2000,
) -> int:
    """Periodic sweep: re-enqueue rows whose task was lost, failed rows that are due, and
    rows a killed worker left `sending`. Nothing is lost; the claim keeps it exactly once.
    """
    now = timezone.now()
    due = (
        Q(status=Delivery.Status.PENDING, created_at__lt=now - pending_after)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ) | Q(status=Delivery.Status.FAILED, next_attempt_at__lte=now)
    ids = list(Delivery.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:batch])
    # Pending rows may still sit in a long queue: don't enqueue them again every sweep.
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
        next_attempt_at=now + pending_after
    )
    ids += _abandoned_claims(now=now, lease=lease or sending_lease(), pending_after=pending_after)
    for start in range(0, len(ids), BATCH):
        _enqueue_batch(ids[start : start + BATCH])
    return len(ids)


def _abandoned_claims(
    *, now: datetime.datetime, lease: datetime.timedelta, pending_after: datetime.timedelta
) -> list[int]:
    """Hand back the rows whose worker died mid-batch (their lease ran out: a live worker
    renews it) and return their ids to enqueue now. One conditional UPDATE ... RETURNING:
    two sweeps at once, or a sweep and a claim, serialise on the row lock, so each row is
    re-queued once; like a pending row, it is enqueued again only after `pending_after`.
    """
    # The table name is ours, not input; every value is a parameter.
    sql = f"""
        UPDATE {Delivery._meta.db_table}
           SET status = %(pending)s, next_attempt_at = %(again)s
         WHERE status = %(sending)s AND claimed_at < %(expired)s
     RETURNING id"""  # nosec B608  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "pending": Delivery.Status.PENDING,
                "sending": Delivery.Status.SENDING,
                "again": now + pending_after,
                "expired": now - lease,
            },
        )
        return sorted(row[0] for row in cursor.fetchall())


def deliveries_requeue(*, ids: list[int]) -> int:
    """Staff action: try failed or stuck rows again now (sent rows are never resent).

    A row `sending` keeps its claim until its lease ran out: its worker may be mid-send.
    """
    stuck = Q(status=Delivery.Status.SENDING, claimed_at__lt=timezone.now() - sending_lease())
    requeued = list(
        Delivery.objects.filter(pk__in=ids)
        .filter(Q(status__in=[Delivery.Status.FAILED, Delivery.Status.PENDING]) | stuck)
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=requeued).update(
        status=Delivery.Status.PENDING, next_attempt_at=None, attempts=0
    )
    for start in range(0, len(requeued), BATCH):
        _enqueue_batch(requeued[start : start + BATCH])
    return len(requeued)
