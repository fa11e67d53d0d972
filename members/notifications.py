"""The notification layer: every email the product sends goes through `notify`.

`notify` checks the recipient's preferences, writes one `Delivery` ledger row per
(kind, thing it is about, key, recipient) and enqueues its delivery after commit. The
delivery tasks (`members.tasks.deliver_notifications`, `deliver_notification`) claim rows
with a conditional UPDATE, render the templates in the recipient's language and time zone,
hand the messages to SMTP over one connection per batch and stamp them sent. A second
`notify` for the same message finds the row and does nothing; a redelivered task finds
the row claimed or sent and does nothing.

Templates per kind: `emails/<kind>_subject.txt`, `<kind>_body.txt`, `<kind>_body.html`.
Subjects never name a group or its topic; in discreet mode bodies don't either.
"""

from __future__ import annotations

import base64
import datetime
import logging
import smtplib
import time
import uuid
from collections import defaultdict
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
from django.db import connection as db_connection
from django.db import models, transaction
from django.db.models import Q
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
# A fan-out is delivered in tasks of this many rows: claimed in one statement, checked in a
# few queries and sent over one SMTP connection (see `deliveries_send`).
BATCH = 50


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    optional: bool = True  # members may turn it off
    default_on: bool = True
    # The stored context holds someone's own words (a facilitator's personal note): the
    # ledger keeps it only until the message is final (sent, skipped, bounced, given up).
    forget_context: bool = False
    # Who the email can reach: the preferences page offers a kind only to people who
    # hold one of these roles ("member" is everyone).
    audience: frozenset[str] = frozenset({"member"})


FACILITATORS = frozenset({"facilitator"})
RUNNERS = frozenset({"facilitator", "organizer"})
SAFEGUARDING = frozenset({"safeguarding"})

# Which roles a person holds is known higher up (groups): it appends a function of the
# person returning role names ("facilitator", "organizer", "safeguarding") in its ready().
PERSON_ROLE_FINDERS: list = []


def person_roles(user) -> set[str]:
    roles = {"member"}
    for find in PERSON_ROLE_FINDERS:
        roles |= set(find(user))
    return roles


def kinds_offered_to(user) -> list[Kind]:
    """The optional kinds of email this person can receive, for their preferences page."""
    roles = person_roles(user)
    return [kind for kind in KINDS.values() if kind.optional and kind.audience & roles]


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
        Kind(
            "join_request", _("Someone asked to join a group I facilitate"), audience=FACILITATORS
        ),
        Kind("join_approved", _("My request to join a group was approved")),
        Kind("join_declined", _("My request to join a group was declined")),
        Kind("membership_removed", _("My membership of a group ended")),
        Kind("role_assigned", _("I was given a role in a meeting")),
        Kind("gentle_checkin", _("A personal check-in from my facilitator"), forget_context=True),
        Kind("facilitator_appointed", _("I was made a facilitator of a group")),
        Kind("role_invitation", _("Someone asked me to help run a group or an organisation")),
        Kind(
            "support_request",
            _("A member of a group I facilitate asked for more support"),
            audience=FACILITATORS,
        ),
        Kind(
            "concern_reported", _("A concern was reported in a group I help run"), audience=RUNNERS
        ),
        Kind(
            "escalation_opened",
            _("A debrief was escalated to me as safeguarding lead"),
            audience=SAFEGUARDING,
        ),
        Kind("goal_review", _("The periodic review of my group's purpose and goals")),
        Kind("mentorship_paired", _("I was paired with a mentor, or with someone to mentor")),
        Kind(
            "mentor_message",
            _("A message from my mentor, or from the person I mentor"),
            forget_context=True,
        ),
        Kind("facilitator_digest", _("My facilitator digest"), audience=FACILITATORS),
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
    return _wants(kind, notification_preference_get(user=user).muted_kinds)


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
    shown_kinds: list[str] | None = None,
) -> NotificationPreference:
    """Save the preferences page: kinds not ticked are muted (only optional ones). Kinds
    the page did not offer (`shown_kinds`, default all) keep their setting."""
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    shown = set(KINDS if shown_kinds is None else shown_kinds)
    pref.muted_kinds = [
        k
        for k, kind in KINDS.items()
        if kind.optional and (k not in email_kinds if k in shown else k in pref.muted_kinds)
    ]
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
    spec = KINDS[kind]
    wanted = notification_wants(user=recipient, kind=kind)
    delivery, created = Delivery.objects.get_or_create(
        kind=kind,
        about_type=ContentType.objects.get_for_model(about),
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
def retry_base_seconds() -> int:
    """The first backoff step; it doubles per attempt up to an hour. Read at call time so
    a test worker can shorten it (`NOTIFICATION_RETRY_SECONDS`) and keep the mechanism."""
    return int(getattr(settings, "NOTIFICATION_RETRY_SECONDS", 30))


def _claim_many(delivery_ids: list[int]) -> list[int]:
    """Mark the claimable rows among `delivery_ids` `sending`, in one statement; their ids.

    A conditional UPDATE ... RETURNING: concurrent claims of a row serialise on its row
    lock, and the second re-reads it `sending` and leaves it. A row left `sending` by a
    killed worker becomes claimable again once its lease ran out.
    """
    if not delivery_ids:
        return []
    now = timezone.now()
    # The table name is ours, not input; every value is a parameter.
    sql = f"""
        UPDATE {Delivery._meta.db_table}
           SET status = %(sending)s, claimed_at = %(now)s,
               attempts = attempts + 1, next_attempt_at = NULL
         WHERE id = ANY(%(ids)s)
           AND (status = %(pending)s
                OR (status = %(failed)s AND next_attempt_at <= %(now)s)
                OR (status = %(sending)s AND claimed_at < %(expired)s))
     RETURNING id"""  # nosec B608  # noqa: S608
    with db_connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "ids": list(delivery_ids),
                "now": now,
                "expired": now - SENDING_LEASE,
                "sending": Delivery.Status.SENDING,
                "pending": Delivery.Status.PENDING,
                "failed": Delivery.Status.FAILED,
            },
        )
        return [row[0] for row in cursor.fetchall()]


class _Stamps:
    """Outcomes waiting to be written: one UPDATE per distinct outcome, not per row."""

    def __init__(self) -> None:
        self.waiting: dict[tuple[str, str, int | None], list[int]] = defaultdict(list)
        self.outcomes: dict[int, SendOutcome] = {}
        self.forget: list[int] = []  # final rows whose context is someone's own words

    def record(self, delivery: Delivery, status: str, error: str = "", retry_in=None):
        self.waiting[(status, error[:2000], retry_in)].append(delivery.pk)
        self.outcomes[delivery.pk] = _outcome(status, retry_in)
        if retry_in is None and KINDS[delivery.kind].forget_context:
            self.forget.append(delivery.pk)

    def fail(self, delivery: Delivery, error: str) -> None:
        """Failed for now: try again later with exponential backoff, up to MAX_ATTEMPTS."""
        if delivery.attempts >= MAX_ATTEMPTS:
            self.record(delivery, Delivery.Status.FAILED, f"gave up: {error}")
            return
        retry_in = min(retry_base_seconds() * 2 ** (delivery.attempts - 1), 3600)
        self.record(delivery, Delivery.Status.FAILED, error, retry_in)

    def flush(self) -> None:
        now = timezone.now()
        for (status, error, retry_in), ids in self.waiting.items():
            Delivery.objects.filter(pk__in=ids).update(
                status=status,
                last_error=error,
                sent_at=now if status == Delivery.Status.SENT else None,
                next_attempt_at=(
                    now + datetime.timedelta(seconds=retry_in) if retry_in is not None else None
                ),
            )
        if self.forget:
            Delivery.objects.filter(pk__in=self.forget).update(context={})
        self.waiting.clear()
        self.forget.clear()


@dataclass
class _Facts:
    """What the skip checks need for a whole batch, read in a few queries."""

    addresses: dict[int, str]
    bounced: set[str]
    muted: dict[int, list[str]]
    going: dict[int, set[int]]  # meeting id -> recipients (of this batch) still going


def _wants(kind: str, muted: list[str]) -> bool:
    spec = KINDS[kind]
    if not spec.optional:
        return True
    return kind not in muted if spec.default_on else False


def recipient_addresses(user_ids) -> dict[int, str]:
    """Each member's verified address to write to (primary first); members without one
    are missing from the answer."""
    rows = (
        EmailAddress.objects.filter(user_id__in=user_ids, verified=True)
        .order_by("user_id", "-primary", "pk")
        .values_list("user_id", "email")
    )
    addresses: dict[int, str] = {}
    for user_id, email in rows:
        addresses.setdefault(user_id, email)
    return addresses


def recipient_address(user: User) -> str | None:
    """The verified address to write to (primary first), or None."""
    return recipient_addresses([user.pk]).get(user.pk)


def notification_undeliverable(*, user: User, kind: str) -> str:
    """Why an email of `kind` to `user` would be skipped at send time ("" if it would go):
    "inactive", "no_address", "bounced" or "muted". For pages that must say honestly
    whether a personal message reached someone."""
    if not user.is_active:
        return "inactive"
    address = recipient_address(user)
    if address is None:
        return "no_address"
    if EmailBounce.objects.filter(email=address.lower()).exists():
        return "bounced"
    if not notification_wants(user=user, kind=kind):
        return "muted"
    return ""


def _attach_abouts(deliveries: list[Delivery]) -> None:
    """Load what the rows are about, one query per kind of thing, and share each object:
    a batch of reminders loads its meeting once (and the meeting's group once)."""
    field = Delivery._meta.get_field("about")
    wanted: dict[int, set[int]] = defaultdict(set)
    for delivery in deliveries:
        wanted[delivery.about_type_id].add(delivery.about_id)
    found = {}
    for type_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for obj in model._default_manager.filter(pk__in=pks) if model else []:
            found[(type_id, obj.pk)] = obj
    for delivery in deliveries:
        field.set_cached_value(delivery, found.get((delivery.about_type_id, delivery.about_id)))


def _facts(deliveries: list[Delivery]) -> _Facts:
    from members.reminders import going_members

    user_ids = {d.recipient_id for d in deliveries}
    addresses = recipient_addresses(user_ids)
    # Stored lower-cased, so the unique index answers this (no scan of every bounce).
    bounced = set(
        EmailBounce.objects.filter(email__in=[a.lower() for a in addresses.values()]).values_list(
            "email", flat=True
        )
    )
    muted = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "muted_kinds"
        )
    )
    meeting_model = django_apps.get_model("meetings", "Meeting")
    reminders: dict[int, tuple[object, set[int]]] = {}
    for d in deliveries:
        if d.kind == "session_reminder" and isinstance(d.about, meeting_model):
            reminders.setdefault(d.about_id, (d.about, set()))[1].add(d.recipient_id)
    going = {
        pk: set(going_members(meeting).filter(pk__in=ids).values_list("pk", flat=True))
        for pk, (meeting, ids) in reminders.items()
    }
    return _Facts(addresses, bounced, muted, going)


def _skip_reason(delivery: Delivery, facts: _Facts) -> str:
    user = delivery.recipient
    address = facts.addresses.get(user.pk)
    if not user.is_active:
        return "account is inactive"
    if address is None:
        return "no verified email address"
    if address.lower() in facts.bounced:
        return "address bounced before"
    if not _wants(delivery.kind, facts.muted.get(user.pk, [])):
        return "turned off by the member"
    if delivery.about is None:
        return "what it was about no longer exists"
    from members.reminders import stale_reason

    going = facts.going.get(delivery.about_id) if delivery.kind == "session_reminder" else None
    return stale_reason(delivery, going=going)


def delivery_send(*, delivery_id: int) -> SendOutcome:
    """Send one ledger row, at most once; safe to call any number of times."""
    return deliveries_send(delivery_ids=[delivery_id]).get(delivery_id, _outcome("nothing"))


# Sent rows are stamped after every few hand-offs: a worker killed mid-batch can repeat at
# most this many messages (accepted by SMTP, not stamped yet), each with its Message-ID.
STAMP_EVERY = 5


def deliveries_send(*, delivery_ids: list[int]) -> dict[int, SendOutcome]:
    """Send a batch of ledger rows over one SMTP connection; safe to call any number of times.

    The claim, the loading and the skip checks take a few queries for the whole batch, and
    outcomes are stamped in bulk. Rows someone else holds or that are done are left out of
    the answer (their outcome is "nothing").
    """
    from django.core.mail import get_connection

    from members.batch_render import BatchRenderer

    claimed = _claim_many(delivery_ids)
    if not claimed:
        return {}
    deliveries = list(
        Delivery.objects.filter(pk__in=claimed).select_related("recipient").order_by("pk")
    )
    _attach_abouts(deliveries)
    facts = _facts(deliveries)
    smtp = get_connection()
    stamps, renderer = _Stamps(), BatchRenderer(smtp)
    down: str | None = None  # not connected yet: a batch of skips never dials SMTP
    unstamped, lease_from = 0, time.monotonic()
    try:
        for delivery in deliveries:
            reason = _skip_reason(delivery, facts)
            if reason:
                stamps.record(delivery, Delivery.Status.SKIPPED, reason)
                continue
            if down is None:
                down = _smtp_open(smtp)
            if down:  # the server did not answer: don't knock again for every row
                stamps.fail(delivery, down)
                continue
            address = facts.addresses[delivery.recipient_id]
            down = _send_one(delivery, address, smtp, stamps, renderer)
            unstamped += 1
            if unstamped >= STAMP_EVERY:
                stamps.flush()
                unstamped = 0
                lease_from = _renew_lease(deliveries, stamps, lease_from)
    finally:
        stamps.flush()
        smtp.close()
    return stamps.outcomes


def _renew_lease(deliveries: list[Delivery], stamps: _Stamps, since: float) -> float:
    """A slow server must not let the sweep hand our unsent rows to another worker."""
    if time.monotonic() - since < SENDING_LEASE.total_seconds() / 5:
        return since
    rest = [d.pk for d in deliveries if d.pk not in stamps.outcomes]
    Delivery.objects.filter(pk__in=rest, status=Delivery.Status.SENDING).update(
        claimed_at=timezone.now()
    )
    return time.monotonic()


def _smtp_open(smtp) -> str:
    """Open the shared connection; "" when it answers, else the error for every row."""
    try:
        smtp.open()
    except (OSError, smtplib.SMTPException) as exc:
        smtp.close()
        logger.warning("SMTP server unreachable: %s", type(exc).__name__)
        return f"SMTP: {type(exc).__name__}: {exc}"
    return ""


def _send_one(delivery: Delivery, address: str, smtp, stamps: _Stamps, renderer) -> str:
    """Render and hand over one message; returns the error when the connection is lost
    and cannot be opened again (the rest of the batch then waits for its retry)."""
    try:
        message = renderer.message(delivery=delivery, address=address)
    except Exception as exc:  # a broken template must not lose the message
        logger.exception("rendering %s delivery %s failed", delivery.kind, delivery.pk)
        stamps.fail(delivery, f"rendering: {type(exc).__name__}: {exc}")
        return ""
    message.connection = smtp
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()), (550, b""))
        _refused(delivery, address, code, text, stamps)
    except smtplib.SMTPResponseException as exc:
        _refused(delivery, address, exc.smtp_code, exc.smtp_error, stamps)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("SMTP hand-off of delivery %s failed: %s", delivery.pk, type(exc).__name__)
        stamps.fail(delivery, f"SMTP: {type(exc).__name__}: {exc}")
        smtp.close()  # the server may have hung up: start afresh
        return _smtp_open(smtp)
    else:
        stamps.record(delivery, Delivery.Status.SENT)
    return ""


def _refused(delivery: Delivery, address: str, code: int, text, stamps: _Stamps) -> None:
    """A 5xx for the recipient is permanent: remember the address so we stop trying.

    4xx (greylisting, a full mailbox) is temporary and retried with backoff.
    """
    reason = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if not 500 <= code < 600:
        stamps.fail(delivery, f"refused for now: {reason}")
        return
    EmailBounce.objects.get_or_create(email=address.lower(), defaults={"reason": reason[:500]})
    stamps.record(delivery, Delivery.Status.BOUNCED, reason)


# --- Building the email ------------------------------------------------------------------
def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def personal_values(delivery: Delivery) -> dict[str, str]:
    """What of a message is the recipient's own: their name and their signed links."""
    from members.reminders import personal_links

    user = delivery.recipient
    token = unsubscribe_token(user=user, kind=delivery.kind)
    return {
        "name": user.display_name,
        "unsubscribe_url": _absolute(reverse("members:unsubscribe", args=[token])),
        **personal_links(delivery),
    }


def notification_context(delivery: Delivery) -> dict:
    """What every email template gets, plus the context stored with the row."""
    from members.reminders import render_context

    user = delivery.recipient
    personal = personal_values(delivery)
    del personal["name"]  # templates read it from the recipient
    return {
        **_thaw(delivery.context),
        **render_context(delivery),
        **personal,
        "recipient": user,
        "about": delivery.about,
        "kind": delivery.kind,
        "site_url": settings.SITE_URL,
        "discreet": user.discreet_mode,
        "preferences_url": _absolute(reverse("members:notifications")),
        "crisis_url": _absolute(reverse("crisis")),
    }


def delivery_message(*, delivery: Delivery, address: str) -> EmailMultiAlternatives:
    """Render the row's email in the recipient's language and time zone."""
    from members.batch_render import build_message

    user = delivery.recipient
    context = notification_context(delivery)
    kind = delivery.kind
    with translation.override(user.preferred_language), timezone.override(user.time_zone):
        subject = render_to_string(f"emails/{kind}_subject.txt", context)
        text = render_to_string(f"emails/{kind}_body.txt", context)
        html = render_to_string(f"emails/{kind}_body.html", context)
    return build_message(
        message_id=delivery.message_id,
        attachments=delivery.attachments,
        address=address,
        subject=subject,
        text=text,
        html=html,
        unsubscribe_url=context["unsubscribe_url"],
    )


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
