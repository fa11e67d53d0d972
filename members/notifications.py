"""The notification layer: every email the product sends goes through `notify`.

`notify` checks the recipient's preferences, writes one `Delivery` ledger row per
(kind, thing it is about, key, recipient) and enqueues its delivery after commit. The
delivery task (`members.tasks.deliver_notification`) claims the row with a conditional
UPDATE, renders the templates in the recipient's language and time zone, hands the message
to SMTP and stamps it sent. A second `notify` for the same message finds the row and does
nothing; a redelivered task finds the row claimed or sent and does nothing.

Templates per kind: `emails/<kind>_subject.txt`, `<kind>_body.txt`, `<kind>_body.html`.
Subjects never name a group or its topic; in discreet mode bodies don't either.
"""

from __future__ import annotations

import base64
import datetime
import logging
import smtplib
import uuid
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from members.models import Delivery, EmailBounce, NotificationPreference, User

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "members.notifications.unsubscribe"
MAX_ATTEMPTS = 8
# A claimed row whose worker vanished is claimable again after this long; longer than
# any SMTP hand-off can take (EMAIL_TIMEOUT per socket operation).
SENDING_LEASE = datetime.timedelta(minutes=5)
STALE_PENDING = datetime.timedelta(minutes=10)
# A fan-out is delivered in tasks of this many rows sharing one SMTP connection. Each row
# is still claimed on its own just before its hand-off, so a kill repeats at most one
# message per worker process.
BATCH = 50


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    optional: bool = True  # members may turn it off
    default_on: bool = True


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind("session_reminder", _("Reminders before my meetings")),
        Kind("rsvp_confirmed", _("Confirmation when I RSVP, with a calendar invite")),
        Kind("waitlist_promoted", _("A seat freed up for me on a waiting list")),
        Kind("session_changed", _("A meeting I'm going to was moved or changed")),
        Kind("session_cancelled", _("A meeting I'm going to was cancelled")),
        Kind("checkin_survey", _("The short check-in survey after a meeting")),
        Kind("agreement_resign", _("My group's agreement changed and needs my signature")),
        Kind("join_request", _("Someone asked to join a group I facilitate")),
        Kind("join_approved", _("My request to join a group was approved")),
        Kind("join_declined", _("My request to join a group was declined")),
        Kind("membership_removed", _("My membership of a group ended")),
        Kind("role_assigned", _("I was given a role in a meeting")),
        Kind("gentle_checkin", _("A personal check-in from my facilitator")),
        Kind("goal_review", _("The periodic review of my group's purpose and goals")),
        Kind("facilitator_digest", _("My facilitator digest")),
        Kind("welcome", _("The welcome email when my account is ready")),
    ]
}


class SendOutcome(str):
    """What one delivery attempt did: "sent", "skipped", "bounced", "failed", "nothing"."""

    retry_in: int | None = None


def _outcome(value: str, retry_in: int | None = None) -> SendOutcome:
    outcome = SendOutcome(value)
    outcome.retry_in = retry_in
    return outcome


# --- Preferences ---------------------------------------------------------------------
def notification_preference_get(*, user: User) -> NotificationPreference:
    """The member's preferences (unsaved defaults when they never changed any)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def notification_wants(*, user: User, kind: str) -> bool:
    spec = KINDS[kind]
    if not spec.optional:
        return True
    muted = notification_preference_get(user=user).muted_kinds
    return kind not in muted if spec.default_on else False


@transaction.atomic
def notification_mute(*, user: User, kind: str) -> None:
    """Turn one kind off (the one-click unsubscribe). Doing it twice changes nothing."""
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if kind not in pref.muted_kinds:
        pref.muted_kinds = [*pref.muted_kinds, kind]
        pref.save(update_fields=["muted_kinds", "updated_at"])


@transaction.atomic
def notification_preferences_save(
    *,
    user: User,
    email_kinds: list[str],
    reminder_offsets: list[int],
    digest_frequency: str,
    discreet_mode: bool,
    time_zone: str,
) -> NotificationPreference:
    """Save the preferences page: kinds not ticked are muted (only optional ones)."""
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    pref.muted_kinds = [k for k, kind in KINDS.items() if kind.optional and k not in email_kinds]
    pref.reminder_offsets = sorted(set(reminder_offsets), reverse=True)
    pref.digest_frequency = digest_frequency
    pref.save()
    user.discreet_mode = discreet_mode
    user.time_zone = time_zone
    user.save(update_fields=["discreet_mode", "time_zone"])
    return pref


def unsubscribe_token(*, user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[User, str] | None:
    """The (member, kind) a token was made for, or None when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or data.get("k") not in KINDS:
        return None
    return user, data["k"]


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

    Returns True when a new delivery was queued (False: it existed, or is turned off).

    `context` is stored on the ledger row and merged into the template context at send
    time: plain values, datetimes and model instances (stored as references and reloaded,
    like `about`, so templates show the current state). Call it inside the transaction
    that made the change: the delivery is enqueued only after commit.
    """
    if kind not in KINDS:
        raise ImproperlyConfigured(f"unknown notification kind {kind!r}")
    wanted = notification_wants(user=recipient, kind=kind)
    delivery, created = Delivery.objects.get_or_create(
        kind=kind,
        about_type=ContentType.objects.get_for_model(about),
        about_id=about.pk,
        key=key,
        recipient=recipient,
        defaults={
            "message_id": _message_id(),
            "context": _freeze(context or {}),
            "attachments": _stored_attachments(attachments),
            "status": Delivery.Status.PENDING if wanted else Delivery.Status.SKIPPED,
            "last_error": "" if wanted else "turned off by the member",
        },
    )
    if created and wanted:
        _enqueue(delivery.pk)
    return created and wanted


def notify_many(
    *, kind: str, recipients, about, key: str = "", context: dict | None = None
) -> list[int]:
    """`notify` for many recipients of one message, 1,000 at a time (reminder fan-out).

    Returns the ids of the rows it enqueued. Rows that already exist are left alone.
    """
    about_type = ContentType.objects.get_for_model(about)
    frozen = _freeze(context or {})
    recipients = list(recipients)
    ids: list[int] = []
    for start in range(0, len(recipients), 1000):
        chunk = recipients[start : start + 1000]
        muted = set(
            NotificationPreference.objects.filter(
                user__in=chunk, muted_kinds__contains=[kind]
            ).values_list("user_id", flat=True)
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
        # that existed before (another run) are not enqueued twice.
        ids += Delivery.objects.filter(
            message_id__in=[row.message_id for row in rows], status=Delivery.Status.PENDING
        ).values_list("pk", flat=True)
    for start in range(0, len(ids), BATCH):
        _enqueue_batch(ids[start : start + BATCH])
    return ids


def _enqueue_batch(delivery_ids: list[int]) -> None:
    from members.tasks import deliver_notifications
    from peersupport.tasks import enqueue_on_commit

    enqueue_on_commit(deliver_notifications, delivery_ids)


def _enqueue(delivery_id: int) -> None:
    from members.tasks import deliver_notification
    from peersupport.tasks import enqueue_on_commit

    enqueue_on_commit(deliver_notification, delivery_id)


# --- Sending ---------------------------------------------------------------------------
def _claim(delivery_id: int) -> bool:
    """Mark the row `sending` unless someone else has it or it is done.

    A conditional UPDATE: concurrent claims serialise on the row lock, and the second
    sees the first's `sending` and changes nothing. A row left `sending` by a killed
    worker becomes claimable again once its lease ran out.
    """
    now = timezone.now()
    claimable = (
        Q(status=Delivery.Status.PENDING)
        | Q(status=Delivery.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - SENDING_LEASE)
    )
    return bool(
        Delivery.objects.filter(claimable, pk=delivery_id).update(
            status=Delivery.Status.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            next_attempt_at=None,
        )
    )


def _finish(delivery: Delivery, status: str, error: str = "", retry_in: int | None = None):
    delivery.status = status
    delivery.last_error = error[:2000]
    delivery.sent_at = timezone.now() if status == Delivery.Status.SENT else None
    delivery.next_attempt_at = (
        timezone.now() + datetime.timedelta(seconds=retry_in) if retry_in is not None else None
    )
    delivery.save(update_fields=["status", "last_error", "sent_at", "next_attempt_at"])
    return _outcome(status, retry_in)


def _fail(delivery: Delivery, error: str) -> SendOutcome:
    """Failed for now: try again later with exponential backoff, up to MAX_ATTEMPTS."""
    if delivery.attempts >= MAX_ATTEMPTS:
        return _finish(delivery, Delivery.Status.FAILED, f"gave up: {error}")
    retry_in = min(30 * 2 ** (delivery.attempts - 1), 3600)
    return _finish(delivery, Delivery.Status.FAILED, error, retry_in)


def recipient_address(user: User) -> str | None:
    """The verified address to write to (primary first), or None."""
    address = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return address


def _skip_reason(delivery: Delivery, address: str | None) -> str:
    user = delivery.recipient
    if not user.is_active:
        return "account is inactive"
    if address is None:
        return "no verified email address"
    # Stored lower-cased, so the unique index answers this (no scan of every bounce).
    if EmailBounce.objects.filter(email=address.lower()).exists():
        return "address bounced before"
    if not notification_wants(user=user, kind=delivery.kind):
        return "turned off by the member"
    if delivery.about is None:
        return "what it was about no longer exists"
    from members.reminders import stale_reason

    return stale_reason(delivery)


def delivery_send(*, delivery_id: int, connection=None) -> SendOutcome:
    """Send one ledger row, at most once; safe to call any number of times.

    `connection` is an open SMTP connection to reuse (a batch of a fan-out).
    """
    if not _claim(delivery_id):
        return _outcome("nothing")
    delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
    address = recipient_address(delivery.recipient)
    reason = _skip_reason(delivery, address)
    if reason:
        return _finish(delivery, Delivery.Status.SKIPPED, reason)
    try:
        message = delivery_message(delivery=delivery, address=address)
    except Exception as exc:  # a broken template must not lose the message
        logger.exception("rendering %s delivery %s failed", delivery.kind, delivery.pk)
        return _fail(delivery, f"rendering: {type(exc).__name__}: {exc}")
    message.connection = connection
    return _hand_off(delivery, message, address)


def _hand_off(delivery: Delivery, message: EmailMultiAlternatives, address: str) -> SendOutcome:
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()), (550, b""))
        return _refused(delivery, address, code, text)
    except smtplib.SMTPResponseException as exc:
        return _refused(delivery, address, exc.smtp_code, exc.smtp_error)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("SMTP hand-off of delivery %s failed: %s", delivery.pk, type(exc).__name__)
        return _fail(delivery, f"SMTP: {type(exc).__name__}: {exc}")
    return _finish(delivery, Delivery.Status.SENT)


def _refused(delivery: Delivery, address: str, code: int, text) -> SendOutcome:
    """A 5xx for the recipient is permanent: remember the address so we stop trying.

    4xx (greylisting, a full mailbox) is temporary and retried with backoff.
    """
    reason = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if not 500 <= code < 600:
        return _fail(delivery, f"refused for now: {reason}")
    EmailBounce.objects.get_or_create(email=address.lower(), defaults={"reason": reason[:500]})
    return _finish(delivery, Delivery.Status.BOUNCED, reason)


# --- Building the email ------------------------------------------------------------------
def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def notification_context(delivery: Delivery) -> dict:
    """What every email template gets, plus the context stored with the row."""
    from members.reminders import render_context

    user = delivery.recipient
    token = unsubscribe_token(user=user, kind=delivery.kind)
    return {
        **_thaw(delivery.context),
        **render_context(delivery),
        "recipient": user,
        "about": delivery.about,
        "kind": delivery.kind,
        "site_url": settings.SITE_URL,
        "discreet": user.discreet_mode,
        "unsubscribe_url": _absolute(reverse("members:unsubscribe", args=[token])),
        "preferences_url": _absolute(reverse("members:notifications")),
        "crisis_url": _absolute(reverse("crisis")),
    }


def delivery_message(*, delivery: Delivery, address: str) -> EmailMultiAlternatives:
    """Render the row's email in the recipient's language and time zone."""
    user = delivery.recipient
    context = notification_context(delivery)
    kind = delivery.kind
    with translation.override(user.preferred_language), timezone.override(user.time_zone):
        subject = render_to_string(f"emails/{kind}_subject.txt", context)
        text = render_to_string(f"emails/{kind}_body.txt", context)
        html = render_to_string(f"emails/{kind}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[address],
        headers={
            "Message-ID": delivery.message_id,
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    for item in delivery.attachments:
        message.attach(item["filename"], base64.b64decode(item["b64"]), item["mimetype"])
    return message


# --- Recovering ---------------------------------------------------------------------------
def deliveries_requeue_stale(
    *,
    pending_after: datetime.timedelta = STALE_PENDING,
    lease: datetime.timedelta = SENDING_LEASE,
    batch: int = 2000,
) -> int:
    """Periodic sweep: re-enqueue rows whose task was lost, failed rows that are due, and
    rows a killed worker left `sending`. Nothing is lost; the claim keeps it exactly once.
    """
    now = timezone.now()
    # A worker killed mid-send left the row claimed: hand it back once its lease ran out.
    Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - lease).update(
        status=Delivery.Status.PENDING, next_attempt_at=None
    )
    due = (
        Q(status=Delivery.Status.PENDING, created_at__lt=now - pending_after)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    ) | Q(status=Delivery.Status.FAILED, next_attempt_at__lte=now)
    ids = list(Delivery.objects.filter(due).order_by("pk").values_list("pk", flat=True)[:batch])
    # Pending rows may still sit in a long queue: don't enqueue them again every sweep.
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
        next_attempt_at=now + pending_after
    )
    for start in range(0, len(ids), BATCH):
        _enqueue_batch(ids[start : start + BATCH])
    return len(ids)


def deliveries_requeue(*, ids: list[int]) -> int:
    """Staff action: try failed or stuck rows again now (sent rows are never resent).

    A row `sending` keeps its claim until its lease ran out: its worker may be mid-send.
    """
    stuck = Q(status=Delivery.Status.SENDING, claimed_at__lt=timezone.now() - SENDING_LEASE)
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
