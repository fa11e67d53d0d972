"""Reads about meeting roles: who is willing, who served last, whom to suggest."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from groups.models import Membership, PeerGroup
from sessions.models import Meeting, MeetingRole, RoleWillingness

ROLES = MeetingRole.Role


@dataclass(frozen=True)
class Candidate:
    """A willing, active member, when they last held this role in a meeting that has
    happened (None: never) and when they hold it next in a meeting still to come."""

    user: object
    last_served: datetime.datetime | None
    next_serving: datetime.datetime | None = None

    @property
    def rotation_served(self) -> datetime.datetime | None:
        """For taking turns, a turn already planned counts like one served."""
        return self.next_serving or self.last_served


@dataclass
class RoleRow:
    """One role of a meeting as the roles page shows it."""

    role: str
    label: str
    assigned: MeetingRole | None
    candidates: list[Candidate]
    suggestion: Candidate | None


def _rotation_key(candidate: Candidate) -> tuple:
    # Never served comes first, then the longest ago; ties go by display name, then id,
    # so the order is stable and explainable.
    served = candidate.rotation_served
    return (
        served is not None,
        served or datetime.datetime.min.replace(tzinfo=datetime.UTC),
        (candidate.user.display_name or "").casefold(),
        candidate.user.pk,
    )


def role_candidates(*, meeting: Meeting, role: str) -> list[Candidate]:
    """The rotation for one role: willing active members, least recently served first.

    Members on a break, pending, left or removed are never suggested. Turns count the
    group's other meetings that were not cancelled, also ones already planned ahead, but
    only a meeting that has started is "last served"; a planned one is "next".
    """
    now = timezone.now()
    held = (
        MeetingRole.objects.filter(
            meeting__group_id=meeting.group_id, role=role, user_id=OuterRef("user_id")
        )
        .exclude(meeting_id=meeting.pk)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
    )
    last_served = (
        held.filter(meeting__starts_at__lte=now)
        .order_by("-meeting__starts_at")
        .values("meeting__starts_at")[:1]
    )
    next_serving = (
        held.filter(meeting__starts_at__gt=now)
        .order_by("meeting__starts_at")
        .values("meeting__starts_at")[:1]
    )
    willing = RoleWillingness.objects.filter(group_id=meeting.group_id, role=role).values("user_id")
    memberships = (
        Membership.objects.filter(
            group_id=meeting.group_id, status=Membership.Status.ACTIVE, user_id__in=willing
        )
        .select_related("user")
        .annotate(last_served=Subquery(last_served), next_serving=Subquery(next_serving))
    )
    candidates = [
        Candidate(m.user, m.last_served, m.next_serving) for m in memberships if m.user.is_active
    ]
    return sorted(candidates, key=_rotation_key)


def role_rows(*, meeting: Meeting) -> list[RoleRow]:
    """Every role with its assignee and the suggested next person.

    A suggestion prefers someone who holds no other role in this meeting and was not
    already suggested for an earlier role, so one person is not asked to do everything.
    """
    assigned = {
        r.role: r for r in MeetingRole.objects.filter(meeting=meeting).select_related("user")
    }
    busy = {r.user_id for r in assigned.values()}
    rows = []
    for value, label in ROLES.choices:
        candidates = role_candidates(meeting=meeting, role=value)
        holder = assigned.get(value)
        free = [
            c
            for c in candidates
            if c.user.pk not in busy or (holder and c.user.pk == holder.user_id)
        ]
        suggestion = (free or candidates or [None])[0]
        if holder is None and suggestion is not None:
            busy.add(suggestion.user.pk)
        rows.append(RoleRow(value, str(label), holder, candidates, suggestion))
    return rows


def assignable_members(group: PeerGroup) -> list:
    """Whom a facilitator may pick for a role: the group's active members, by name."""
    memberships = Membership.objects.filter(
        group=group, status=Membership.Status.ACTIVE, user__is_active=True
    ).select_related("user")
    return sorted(
        (m.user for m in memberships), key=lambda u: ((u.display_name or "").casefold(), u.pk)
    )


def roles_willing_of(*, group: PeerGroup, user) -> set[str]:
    return set(
        RoleWillingness.objects.filter(group=group, user=user).values_list("role", flat=True)
    )
