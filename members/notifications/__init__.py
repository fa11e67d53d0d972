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

Each kind goes to the app (a notice in the member's notifications list, the bell), by
email, both or neither, as the member chose per kind; the notice is written by `notify`
with the ledger row, keyed the same way. Quiet hours hold a member's email (not their
notices) until they end.

Modules, in the order they build on each other: `kinds` (the kinds of message and each
member's preferences), `notices` (the notifications list), `quiet` (quiet hours),
`ledger` (writing rows, recovering lost ones), `message` (one email from its row),
`batch` (a fan-out's emails rendered once per variant), `sending` (claim, check, send,
stamp). What only an app above knows about its kinds of email (is
this reminder stale? what does its template need?) comes through `members.hooks`.
"""

from members.notifications.kinds import (
    FACILITATORS,
    KINDS,
    RUNNERS,
    SAFEGUARDING,
    UNSUBSCRIBE_SALT,
    Kind,
    kinds_offered_to,
    notification_channels,
    notification_mute,
    notification_preference_get,
    notification_preferences_save,
    notification_wants,
    person_roles,
    register_kind,
    unsubscribe_token,
    unsubscribe_token_read,
)
from members.notifications.ledger import (
    BATCH,
    SENDING_LEASE,
    STALE_PENDING,
    deliveries_requeue,
    deliveries_requeue_stale,
    notify,
    notify_many,
)
from members.notifications.message import (
    build_message,
    delivery_message,
    notification_context,
    personal_values,
)
from members.notifications.notices import (
    notice_mark_read,
    notice_scope,
    notice_text,
    notices_forget,
    notices_mark_all_read,
    notices_of,
    notices_unread_count,
)
from members.notifications.quiet import held_until, quiet_until
from members.notifications.sending import (
    MAX_ATTEMPTS,
    STAMP_EVERY,
    SendOutcome,
    deliveries_send,
    delivery_send,
    notification_undeliverable,
    recipient_address,
    recipient_addresses,
    retry_base_seconds,
)

__all__ = [
    "BATCH",
    "FACILITATORS",
    "KINDS",
    "MAX_ATTEMPTS",
    "RUNNERS",
    "SAFEGUARDING",
    "SENDING_LEASE",
    "STALE_PENDING",
    "STAMP_EVERY",
    "UNSUBSCRIBE_SALT",
    "Kind",
    "SendOutcome",
    "build_message",
    "deliveries_requeue",
    "deliveries_requeue_stale",
    "deliveries_send",
    "delivery_message",
    "delivery_send",
    "held_until",
    "kinds_offered_to",
    "notice_mark_read",
    "notice_scope",
    "notice_text",
    "notices_forget",
    "notices_mark_all_read",
    "notices_of",
    "notices_unread_count",
    "notification_channels",
    "notification_context",
    "notification_mute",
    "notification_preference_get",
    "notification_preferences_save",
    "notification_undeliverable",
    "notification_wants",
    "notify",
    "notify_many",
    "person_roles",
    "personal_values",
    "quiet_until",
    "recipient_address",
    "recipient_addresses",
    "register_kind",
    "retry_base_seconds",
    "unsubscribe_token",
    "unsubscribe_token_read",
]
