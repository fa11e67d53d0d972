"""The kinds of email, who may be offered each, and what each member wants."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from members.hooks import person_role_finders
from members.models import NotificationPreference, User
from peersupport.signed import TokenSigner, json_object

UNSUBSCRIBE_SALT = "members.notifications.unsubscribe"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    optional: bool = True  # members may turn it off
    # The stored context holds someone's own words (a facilitator's personal note): the
    # ledger keeps it only until the message is final (sent, skipped, bounced, given up).
    forget_context: bool = False
    # Who the email can reach: the preferences page offers a kind only to people who
    # hold one of these roles ("member" is everyone).
    audience: frozenset[str] = frozenset({"member"})
    # Where it can go: "email" and "app" (the notifications list). Both on by default.
    channels: frozenset[str] = frozenset({"app", "email"})
    # The sentence in the notifications list; "%(title)s" is what it is about (a meeting,
    # a group). Empty: the label.
    notice: str = ""
    # A safeguarding message to someone who helps run a group: a member's quiet hours do
    # not hold its email unless they chose so.
    urgent: bool = False

    @property
    def in_app(self) -> bool:
        return "app" in self.channels

    def notice_text(self, title: str) -> str:
        """The sentence shown in the notifications list, in the active language."""
        text = str(self.notice or self.label)
        if "%(title)s" not in text:
            return text
        if not title:  # the owning app named nothing: the label reads on its own
            return str(self.label)
        try:
            return text % {"title": title}
        except (KeyError, TypeError, ValueError):  # a translation that broke the placeholder
            return str(self.label)


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


EMAIL_ONLY = frozenset({"email"})

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "session_reminder",
            _("Reminders before my meetings"),
            notice=_("Reminder: %(title)s is coming up"),
        ),
        Kind(
            "rsvp_confirmed",
            _("Confirmation when I RSVP, with a calendar invite"),
            notice=_("Your place is confirmed: %(title)s"),
        ),
        Kind(
            "waitlist_promoted",
            _("A seat freed up for me on a waiting list"),
            notice=_("A seat freed up for you: %(title)s"),
        ),
        Kind(
            "session_changed",
            _("A meeting I'm going to was moved or changed"),
            notice=_("A meeting you're going to changed: %(title)s"),
        ),
        Kind(
            "session_cancelled",
            _("A meeting I'm going to was cancelled"),
            notice=_("A meeting you're going to was cancelled: %(title)s"),
        ),
        Kind(
            "checkin_survey",
            _("The short check-in survey after a meeting"),
            notice=_("How was it? The check-in survey for %(title)s is open"),
        ),
        Kind(
            "agreement_resign",
            _("My group's agreement changed and needs my signature"),
            notice=_("The agreement of %(title)s changed: please read and sign it"),
        ),
        Kind(
            "join_request",
            _("Someone asked to join a group I facilitate"),
            audience=FACILITATORS,
            notice=_("Someone asked to join %(title)s"),
        ),
        Kind(
            "join_approved",
            _("My request to join a group was approved"),
            notice=_("Welcome: your request to join %(title)s was approved"),
        ),
        Kind(
            "join_declined",
            _("My request to join a group was declined"),
            notice=_("Your request to join %(title)s was declined"),
        ),
        Kind(
            "membership_removed",
            _("My membership of a group ended"),
            notice=_("Your membership of %(title)s ended"),
        ),
        Kind(
            "role_assigned",
            _("I was given a role in a meeting"),
            notice=_("You were given a role in %(title)s"),
        ),
        Kind(
            "gentle_checkin",
            _("A personal check-in from my facilitator"),
            forget_context=True,
            notice=_("Your facilitator sent you a personal check-in by email"),
        ),
        Kind(
            "facilitator_appointed",
            _("I was made a facilitator of a group"),
            notice=_("You are now a facilitator of %(title)s"),
        ),
        Kind(
            "role_invitation",
            _("Someone asked me to help run a group or an organisation"),
            notice=_("You were asked to help run %(title)s"),
        ),
        Kind(
            "support_request",
            _("A member of a group I facilitate asked for more support"),
            audience=FACILITATORS,
            urgent=True,
            notice=_("A member asked for more support: %(title)s"),
        ),
        Kind(
            "concern_reported",
            _("A concern was reported in a group I help run"),
            audience=RUNNERS,
            urgent=True,
            notice=_("A concern was reported: %(title)s"),
        ),
        Kind(
            "escalation_opened",
            _("A debrief was escalated to me as safeguarding lead"),
            audience=SAFEGUARDING,
            urgent=True,
            notice=_("A debrief was escalated to you: %(title)s"),
        ),
        Kind(
            "goal_review",
            _("The periodic review of my group's purpose and goals"),
            notice=_("Time to review the purpose and goals of %(title)s"),
        ),
        Kind(
            "mentorship_paired",
            _("I was paired with a mentor, or with someone to mentor"),
            notice=_("You were paired for mentoring"),
        ),
        Kind(
            "mentor_message",
            _("A message from my mentor, or from the person I mentor"),
            forget_context=True,
            notice=_("Your mentoring partner sent you a message by email"),
        ),
        # A digest and the welcome email are emails by nature: not in the bell.
        Kind(
            "facilitator_digest",
            _("My facilitator digest"),
            audience=FACILITATORS,
            channels=EMAIL_ONLY,
        ),
        Kind("welcome", _("The welcome email when my account is ready"), channels=EMAIL_ONLY),
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
    """Does `user` want `kind` by email?"""
    return _wants(kind, notification_preference_get(user=user).muted_kinds)


def notification_channels(*, user: User, kind: str) -> set[str]:
    """Where `user` wants `kind`: a subset of {"app", "email"} (one query)."""
    pref = notification_preference_get(user=user)
    channels = set()
    if _wants(kind, pref.muted_kinds):
        channels.add("email")
    if _wants_app(kind, pref.app_muted_kinds):
        channels.add("app")
    return channels


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
    app_kinds: list[str] | None = None,
    quiet_from: datetime.time | None = None,
    quiet_until: datetime.time | None = None,
    quiet_holds_urgent: bool = False,
) -> NotificationPreference:
    """Save the preferences page: kinds not ticked are muted, per channel (only optional
    ones). Kinds the page did not offer (`shown_kinds`, default all) keep their setting,
    and so does the app channel when `app_kinds` is None. Quiet hours are on when both
    ends are given."""
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    shown = set(KINDS if shown_kinds is None else shown_kinds)
    pref.muted_kinds = _muted_after(email_kinds, shown, pref.muted_kinds, "email")
    if app_kinds is not None:
        pref.app_muted_kinds = _muted_after(app_kinds, shown, pref.app_muted_kinds, "app")
    pref.reminder_offsets = sorted(set(reminder_offsets), reverse=True)
    pref.digest_frequency = digest_frequency
    on = quiet_from is not None and quiet_until is not None and quiet_from != quiet_until
    pref.quiet_from, pref.quiet_until = (quiet_from, quiet_until) if on else (None, None)
    pref.quiet_holds_urgent = quiet_holds_urgent
    pref.save()
    user.discreet_mode = discreet_mode
    user.time_zone = time_zone
    user.save(update_fields=["discreet_mode", "time_zone"])
    return pref


_unsubscribe_signer = TokenSigner(UNSUBSCRIBE_SALT)


def unsubscribe_token(*, user: User, kind: str) -> str:
    """What `signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)` gives, at a
    fraction of the cost (one per email). Tokens used to be written with `compress=True`,
    which zlib took up only for ids with runs of repeated digits (`1000000`): links sent
    that way still read, as `signing.loads` reads either form."""
    return _unsubscribe_signer.dumps(json_object(u=user.pk, k=kind))


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


def _muted_after(ticked: list[str], shown: set[str], muted: list[str], channel: str) -> list:
    """The kinds muted on `channel` once the page was saved with `ticked` on."""
    return [
        k
        for k, kind in KINDS.items()
        if kind.optional
        and channel in kind.channels
        and (k not in ticked if k in shown else k in muted)
    ]


def _wants(kind: str, muted: list[str]) -> bool:
    """By email."""
    spec = KINDS[kind]
    if "email" not in spec.channels:
        return False
    if not spec.optional:
        return True
    return kind not in muted


def _wants_app(kind: str, app_muted: list[str]) -> bool:
    """In the app (the notifications list)."""
    spec = KINDS[kind]
    if not spec.in_app:
        return False
    return not spec.optional or kind not in app_muted
