"""Who in a group seems to have drifted away, for its facilitators (issue 10, item 8).

The rule, in one place:

- **Missed the last 3 meetings**: the group's last 3 held meetings where attendance was
  taken (not cancelled, already started, at least one mark) all have this member marked
  *absent*. Excused is not missed, and a meeting where nobody marked them is not missed
  either: we only count what a facilitator recorded, never a "going" RSVP without a mark
  (that is usually attendance not taken, not the member staying away).
- **No reply for 6 weeks**: the member has been in the group for 6 weeks, the group held
  at least one meeting in that time, and the member neither answered an RSVP (going or
  not) nor was marked present in it.

Only active members are considered (never on a break, pending, left or removed, and
never the facilitators). A member who answered an RSVP after their last gentle check-in
is not listed again: they replied. Everything is computed by PostgreSQL in one query
(subqueries per member), so the cost does not grow with meetings or members.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import Membership, PeerGroup
from sessions.models import Attendance, GentleCheckin, Meeting, Rsvp

MISSED_IN_A_ROW = 3
SILENT_FOR = datetime.timedelta(weeks=6)


@dataclass(frozen=True)
class DisengagedMember:
    """One row of the facilitators' disengagement list."""

    user_id: int
    display_name: str
    missed_in_a_row: bool
    silent: bool
    last_attended: datetime.datetime | None
    last_checkin_at: datetime.datetime | None
    last_checkin_by: str | None
    last_checkin_emailed: bool | None

    @property
    def checked_in_today(self) -> bool:
        return bool(self.last_checkin_at and self.last_checkin_at.date() == timezone.now().date())


def _held_meetings(group: PeerGroup, now: datetime.datetime) -> QuerySet[Meeting]:
    """Meetings that took place: started already and not cancelled."""
    return Meeting.objects.filter(group=group, starts_at__lt=now).exclude(
        status=Meeting.Status.CANCELLED
    )


def _last_marked_meetings(group: PeerGroup, now: datetime.datetime) -> QuerySet[Meeting]:
    """The group's last few held meetings where attendance was taken, newest first."""
    marked = Attendance.objects.filter(meeting=OuterRef("pk"))
    return (
        _held_meetings(group, now)
        .filter(Exists(marked))
        .order_by("-starts_at")
        .values("pk")[:MISSED_IN_A_ROW]
    )


def _latest(queryset: QuerySet, field: str, *, by: str = "") -> Subquery:
    """`field` of the newest row, newest by `by` (default: the field itself)."""
    return Subquery(queryset.order_by(f"-{by or field}", "-pk").values(field)[:1])


def _annotated(group: PeerGroup, now: datetime.datetime) -> QuerySet[Membership]:
    cutoff = now - SILENT_FOR
    member = OuterRef("user_id")
    in_group = {"meeting__group": group}
    last_marked = _last_marked_meetings(group, now)
    checkins = GentleCheckin.objects.filter(group=group, member=member)
    missed = (
        Attendance.objects.filter(
            user=member, status=Attendance.Status.ABSENT, meeting__in=last_marked
        )
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Membership.objects.filter(
        group=group, status=Membership.Status.ACTIVE, role=Membership.Role.MEMBER
    ).annotate(
        marked_meetings=Subquery(
            Meeting.objects.filter(pk__in=last_marked)
            .values("group")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        missed=Coalesce(Subquery(missed, output_field=IntegerField()), Value(0)),
        last_reply=_latest(Rsvp.objects.filter(user=member, **in_group), "updated_at"),
        last_attended=_latest(
            Attendance.objects.filter(
                user=member, status=Attendance.Status.PRESENT, **in_group
            ).annotate(when=F("meeting__starts_at")),
            "when",
        ),
        held_recently=Exists(_held_meetings(group, now).filter(starts_at__gte=cutoff)),
        last_checkin_at=_latest(checkins, "sent_at"),
        last_checkin_by=_latest(
            checkins.annotate(name=F("sent_by__display_name")), "name", by="sent_at"
        ),
        last_checkin_emailed=_latest(checkins, "emailed", by="sent_at"),
        member_since=Coalesce("joined_at", "created_at"),
    )


def disengaged_members(
    group: PeerGroup, *, now: datetime.datetime | None = None, user_id: int | None = None
) -> list[DisengagedMember]:
    """The group's active members who missed the last 3 meetings or went quiet for 6 weeks.

    `user_id` narrows the list to one person (is this member still on it?).
    """
    now = now or timezone.now()
    cutoff = now - SILENT_FOR
    missed_in_a_row = Q(marked_meetings=MISSED_IN_A_ROW, missed=MISSED_IN_A_ROW)
    silent = (
        Q(held_recently=True, member_since__lte=cutoff)
        & (Q(last_reply__isnull=True) | Q(last_reply__lt=cutoff))
        & (Q(last_attended__isnull=True) | Q(last_attended__lt=cutoff))
    )
    # Spelled out rather than exclude(): NULL comparisons inside NOT would drop everyone.
    not_answered = (
        Q(last_checkin_at__isnull=True)
        | Q(last_reply__isnull=True)
        | Q(last_reply__lte=F("last_checkin_at"))
    )
    members = _annotated(group, now)
    if user_id is not None:
        members = members.filter(user_id=user_id)
    rows = (
        members.filter(missed_in_a_row | silent)
        .filter(not_answered)
        .annotate(
            is_missing=ExpressionWrapper(missed_in_a_row, output_field=BooleanField()),
            is_silent=ExpressionWrapper(silent, output_field=BooleanField()),
            name=F("user__display_name"),
        )
        .order_by("user__display_name", "user_id")
        .values(
            "user_id",
            "name",
            "is_missing",
            "is_silent",
            "last_attended",
            "last_checkin_at",
            "last_checkin_by",
            "last_checkin_emailed",
        )
    )
    return [
        DisengagedMember(
            user_id=row["user_id"],
            display_name=row["name"],
            missed_in_a_row=row["is_missing"],
            silent=row["is_silent"],
            last_attended=row["last_attended"],
            last_checkin_at=row["last_checkin_at"],
            last_checkin_by=row["last_checkin_by"],
            last_checkin_emailed=row["last_checkin_emailed"],
        )
        for row in rows
    ]


def disengaged_member(group: PeerGroup, user_id: int) -> DisengagedMember | None:
    """One listed member, or None when they are (no longer) on the list."""
    found = disengaged_members(group, user_id=user_id)
    return found[0] if found else None
