"""Sending ledger rows: claim them, check each is still wanted, render and hand them to
SMTP over one connection per batch, stamp the outcomes."""

from __future__ import annotations

import datetime
import logging
import math
import smtplib
import time
from collections import defaultdict
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.utils import timezone

from members.hooks import kind_hooks
from members.models import Delivery, EmailBounce, NotificationPreference, User
from members.notifications.batch import BatchRenderer
from members.notifications.kinds import KINDS, _wants, notification_wants
from members.notifications.ledger import sending_lease
from members.notifications.quiet import held_until
from peersupport.reversing import reversing_once

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


class SendOutcome(str):
    """What one delivery attempt did: "sent", "skipped", "bounced", "failed", "nothing"."""

    retry_in: int | None = None


def _outcome(value: str, retry_in: int | None = None) -> SendOutcome:
    outcome = SendOutcome(value)
    outcome.retry_in = retry_in
    return outcome


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
                "expired": now - sending_lease(),
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
        # Written as SQL: the ORM compiled a new UPDATE for every stamp, which cost the
        # worker more CPU than PostgreSQL spent running it.
        sql = f"""
            UPDATE {Delivery._meta.db_table}
               SET status = %(status)s, last_error = %(error)s, sent_at = %(sent_at)s,
                   next_attempt_at = %(next_attempt_at)s
             WHERE id = ANY(%(ids)s)"""  # nosec B608  # noqa: S608
        with db_connection.cursor() as cursor:
            for (status, error, retry_in), ids in self.waiting.items():
                cursor.execute(
                    sql,
                    {
                        "ids": ids,
                        "status": status,
                        "error": error,
                        "sent_at": now if status == Delivery.Status.SENT else None,
                        "next_attempt_at": (
                            now + datetime.timedelta(seconds=retry_in)
                            if retry_in is not None
                            else None
                        ),
                    },
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
    # Per kind: what its owning app read once for the batch (`KindHooks.batch_facts`).
    by_kind: dict[str, object]
    # The preferences of recipients with quiet hours (`_held`).
    quiet: dict[int, NotificationPreference] = field(default_factory=dict)


def recipient_addresses(user_ids) -> dict[int, str]:
    """Each member's verified address to write to (primary first); members without one
    are missing from the answer."""
    rows = (
        EmailAddress.objects.filter(user_id__any_of=user_ids, verified=True)
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
        for obj in model._default_manager.filter(pk__any_of=pks) if model else []:
            found[(type_id, obj.pk)] = obj
    for delivery in deliveries:
        about = found.get((delivery.about_type_id, delivery.about_id))
        if about is None:
            field.set_cached_value(delivery, None)
        else:  # loaded by the row's type and id: no need for Django to check it on reading
            field.set_checked(delivery, about)


def _facts(deliveries: list[Delivery]) -> _Facts:
    user_ids = {d.recipient_id for d in deliveries}
    addresses = recipient_addresses(user_ids)
    # Stored lower-cased, so the unique index answers this (no scan of every bounce).
    bounced = set(
        EmailBounce.objects.filter(
            email__any_of=[a.lower() for a in addresses.values()]
        ).values_list("email", flat=True)
    )
    # One read of the preferences: the kinds muted, and quiet hours where set.
    preferences = NotificationPreference.objects.filter(user_id__any_of=user_ids).only(
        "user_id", "muted_kinds", "quiet_from", "quiet_until", "quiet_holds_urgent"
    )
    muted, quiet = {}, {}
    for pref in preferences:
        muted[pref.user_id] = pref.muted_kinds
        if pref.quiet_from is not None and pref.quiet_until is not None:
            quiet[pref.user_id] = pref
    of_kind: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        if delivery.about is not None:
            of_kind[delivery.kind].append(delivery)
    by_kind = {}
    for kind, rows in of_kind.items():
        read = kind_hooks(kind).batch_facts
        if read is not None:
            by_kind[kind] = read(rows)
    return _Facts(addresses, bounced, muted, by_kind, quiet)


# --- Quiet hours ----------------------------------------------------------------------------
def _held(delivery: Delivery, facts: _Facts, stamps: _Stamps) -> bool:
    """Inside the recipient's quiet hours: the row goes back to pending, due when they
    end (the sweep hands it to a worker then, and this check runs again)."""
    user = delivery.recipient
    until = held_until(
        kind=delivery.kind,
        preference=facts.quiet.get(user.pk),
        zone=user.time_zone,
        now=timezone.now(),
    )
    if until is None:
        return False
    wait = max(1, math.ceil((until - timezone.now()).total_seconds()))
    stamps.record(delivery, Delivery.Status.PENDING, "held for the member's quiet hours", wait)
    return True


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
    stale = kind_hooks(delivery.kind).stale
    return stale(delivery, facts.by_kind.get(delivery.kind)) if stale else ""


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
    claimed = _claim_many(delivery_ids)
    if not claimed:
        return {}
    deliveries = list(
        Delivery.objects.filter(pk__any_of=claimed).select_related("recipient").order_by("pk")
    )
    _attach_abouts(deliveries)
    facts = _facts(deliveries)
    smtp = get_connection()
    stamps, renderer = _Stamps(), BatchRenderer(smtp)
    down: str | None = None  # not connected yet: a batch of skips never dials SMTP
    unstamped, lease_from = 0, time.monotonic()
    # The batch's signed links differ only by their token: each URL is reversed once.
    with reversing_once():
        try:
            for delivery in deliveries:
                reason = _skip_reason(delivery, facts)
                if reason:
                    stamps.record(delivery, Delivery.Status.SKIPPED, reason)
                    continue
                if _held(delivery, facts, stamps):
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
    if time.monotonic() - since < sending_lease().total_seconds() / 5:
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
