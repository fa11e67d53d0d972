"""The kinds of email, who may be offered each, and what each member wants."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from members.hooks import person_role_finders
from members.models import NotificationPreference, User

UNSUBSCRIBE_SALT = "members.notifications.unsubscribe"


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


def person_roles(user) -> set[str]:
    roles = {"member"}
    for find in person_role_finders():  # filled by the apps above (members.hooks)
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


def register_kind(kind: Kind) -> None:
    """Add a kind of notification offered by an app above members (from its `ready()`)."""
    KINDS.setdefault(kind.name, kind)


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


def _wants(kind: str, muted: list[str]) -> bool:
    spec = KINDS[kind]
    if not spec.optional:
        return True
    return kind not in muted if spec.default_on else False
