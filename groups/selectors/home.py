"""What the home page shows of groups: requests and follow-ups waiting for facilitators,
open concerns and dashboards for organizers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from groups import selectors
from groups.models import Concern, Membership, Organisation, OrganisationRole, PeerGroup


@dataclass(frozen=True)
class GroupWaiting:
    """A group the person facilitates with people waiting: join requests, support asked."""

    group: PeerGroup
    join_requests: int
    support_requests: int
    concerns: int


def facilitator_waiting(user) -> list[GroupWaiting]:
    """One query whatever the number of groups; only groups with something waiting."""
    ids = [gid for gid, m in selectors.memberships_of(user).items() if m.is_facilitator]
    if not ids:
        return []
    groups = (
        PeerGroup.objects.filter(pk__in=ids)
        .annotate(
            n_join_requests=Count(
                "memberships",
                filter=Q(memberships__status=Membership.Status.PENDING),
                distinct=True,
            ),
            n_support_requests=Count(
                "support_requests", filter=Q(support_requests__status="open"), distinct=True
            ),
            # Never counting a concern about the person: they may not triage it.
            n_concerns=Count(
                "concerns",
                filter=~Q(concerns__status=Concern.Status.CLOSED) & ~Q(concerns__about_id=user.pk),
                distinct=True,
            ),
        )
        .filter(Q(n_join_requests__gt=0) | Q(n_support_requests__gt=0) | Q(n_concerns__gt=0))
        .only("id", "slug", "name")
        .order_by("name", "pk")
    )
    return [
        GroupWaiting(
            group=g,
            join_requests=g.n_join_requests,
            support_requests=g.n_support_requests,
            concerns=g.n_concerns,
        )
        for g in groups
    ]


def organised_organisations(user) -> list[Organisation]:
    ids = [
        org
        for org, role in selectors.organisation_roles_of(user)
        if role == OrganisationRole.Role.ORGANIZER
    ]
    if not ids:
        return []
    return list(Organisation.objects.filter(pk__in=ids).only("id", "slug", "name").order_by("name"))


def open_concerns_for(user, organisations: list[Organisation]) -> list[Concern]:
    """Concerns not closed in the organisations' groups, never those about the person
    (they must not triage a concern about themselves). One query."""
    if not organisations:
        return []
    return list(
        Concern.objects.filter(group__organisation__in=organisations)
        .exclude(status=Concern.Status.CLOSED)
        .exclude(about=user)
        .select_related("group")
        .only("id", "status", "created_at", "group__id", "group__name", "group__slug")
        .order_by("-created_at", "-pk")[:20]
    )


def home_facilitator_waiting_part(user) -> dict | None:
    waiting = facilitator_waiting(user)
    return {"waiting": waiting} if waiting else None


def home_organizer_part(user) -> dict | None:
    organisations = organised_organisations(user)
    if not organisations:
        return None
    return {
        "organisations": organisations,
        "concerns": open_concerns_for(user, organisations),
    }


def notification_roles(user) -> set[str]:
    """The roles that decide which emails a person is offered (members.notifications):
    from the permission layer's cached rows, no query of its own."""
    roles = set()
    if any(m.is_facilitator for m in selectors.memberships_of(user).values()):
        roles.add("facilitator")
    for _org, role in selectors.organisation_roles_of(user):
        roles.add(role)  # "organizer" or "safeguarding"
    return roles
