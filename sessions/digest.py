"""The facilitator digest: a daily or weekly summary of the groups someone facilitates.

Beat runs `digests_send("daily")` every morning and `digests_send("weekly")` on Mondays.
The ledger key is the period ("daily:2026-11-25", "weekly:2026-W48"), so a second beat
in the same period finds the rows and sends nothing. The figures are computed again when
the email is rendered, so a digest held up by a retry is not out of date.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import Membership, PeerGroup, SupportRequest
from members.hooks import KindHooks, kind_hooks_register, preferences_context_register
from members.models import Delivery, NotificationPreference, User
from members.notifications import notify
from sessions.models import Meeting, MeetingRole, Rsvp

WINDOW = {"daily": datetime.timedelta(days=2), "weekly": datetime.timedelta(days=8)}
ROLES_TO_FILL = [
    MeetingRole.Role.TIMEKEEPER,
    MeetingRole.Role.NOTE_TAKER,
    MeetingRole.Role.CHECKIN_LEAD,
]


def _period_key(frequency: str, now: datetime.datetime) -> str:
    if frequency == "daily":
        return f"daily:{now.date().isoformat()}"
    year, week, _day = now.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def facilitated_groups(user: User):
    return PeerGroup.objects.filter(
        status=PeerGroup.Status.ACTIVE,
        memberships__user=user,
        memberships__role=Membership.Role.FACILITATOR,
        memberships__status=Membership.Status.ACTIVE,
    ).order_by("name")


def digest_sections(*, user: User, frequency: str, now: datetime.datetime | None = None):
    """Per group: upcoming meetings with RSVP counts and unfilled roles, pending join
    requests and open "I'd like more support" follow-ups (counts only, never who)."""
    now = now or timezone.now()
    # A subquery, not Count("memberships"): the filter above already joins memberships
    # (to the facilitator's own row), and a Count over that join would count only it.
    pending = (
        Membership.objects.filter(group=OuterRef("pk"), status=Membership.Status.PENDING)
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    followups = (
        SupportRequest.objects.filter(group=OuterRef("pk"), status=SupportRequest.Status.OPEN)
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    groups = list(
        facilitated_groups(user).annotate(
            pending=Coalesce(Subquery(pending), 0), followups=Coalesce(Subquery(followups), 0)
        )
    )
    meetings = (
        Meeting.objects.filter(
            group__in=groups,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + WINDOW[frequency],
        )
        .annotate(
            going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING), distinct=True),
            waiting=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITLISTED), distinct=True),
        )
        .prefetch_related("roles")
        .order_by("starts_at")
    )
    by_group: dict[int, list] = {group.pk: [] for group in groups}
    for meeting in meetings:
        taken = {role.role for role in meeting.roles.all()}
        meeting.unfilled = [role for role in ROLES_TO_FILL if role not in taken]
        by_group[meeting.group_id].append(meeting)
    return [
        {
            "group": group,
            "meetings": by_group[group.pk],
            "pending": group.pending,
            "followups": group.followups,
        }
        for group in groups
        if by_group[group.pk] or group.pending or group.followups
    ]


def digests_send(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """Queue this period's digest for every facilitator who wants it and has news."""
    now = now or timezone.now()
    default = NotificationPreference._meta.get_field("digest_frequency").default
    facilitators = User.objects.filter(
        is_active=True,
        memberships__role=Membership.Role.FACILITATOR,
        memberships__status=Membership.Status.ACTIVE,
    ).distinct()
    # No preference row means the default frequency.
    if frequency == default:
        facilitators = facilitators.exclude(
            Q(notification_preference__isnull=False)
            & ~Q(notification_preference__digest_frequency=frequency)
        )
    else:
        facilitators = facilitators.filter(notification_preference__digest_frequency=frequency)
    queued = 0
    for user in facilitators.iterator(chunk_size=500):
        if digest_sections(user=user, frequency=frequency, now=now):
            notify(
                kind="facilitator_digest",
                recipient=user,
                about=user,
                key=_period_key(frequency, now),
                context={"frequency": frequency},
            )
            queued += 1
    return queued


def digest_render_context(delivery: Delivery) -> dict:
    """The figures, computed when the email is rendered (never stale after a retry)."""
    frequency = delivery.context.get("frequency", "weekly")
    return {
        "sections": digest_sections(user=delivery.recipient, frequency=frequency),
        "zone": delivery.recipient.time_zone,
    }


def hooks_register() -> None:
    """The digest's figures at send time, and the preferences page's list of the groups
    whose reminder times this person sets."""
    kind_hooks_register(["facilitator_digest"], KindHooks(render_context=digest_render_context))
    preferences_context_register(
        lambda user: {"facilitated": facilitated_groups(user).only("name", "slug")}
    )
