"""Reads about who is in a group (its roster): requests, member lists, pairings, invitations."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from groups.models import Invitation, Membership, MembershipEvent, Mentorship, PeerGroup
from groups.selectors import memberships_of
from members.models import User

Status = Membership.Status


def facilitators_of(group_id: int):
    """The people who run a group now: its active facilitators (accounts, not memberships)."""

    return User.objects.filter(
        memberships__group_id=group_id,
        memberships__role=Membership.Role.FACILITATOR,
        memberships__status=Status.ACTIVE,
    )


def organisation_people(organisation_id: int, role: str):
    """The accounts holding an organisation-wide role (organizers, safeguarding leads)."""

    return User.objects.filter(
        organisation_roles__organisation_id=organisation_id, organisation_roles__role=role
    )


def pending_requests(*, group: PeerGroup) -> QuerySet[Membership]:
    """The facilitator queue, oldest first so nobody waits longest."""
    return (
        Membership.objects.filter(group=group, status=Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def member_list(*, group: PeerGroup) -> QuerySet[Membership]:
    """Everyone who has been in the group (not open or declined requests), with history."""
    events = MembershipEvent.objects.select_related("actor").order_by("created_at", "pk")
    return (
        Membership.objects.filter(group=group)
        .exclude(status__in=[Status.PENDING, Status.DECLINED])
        .select_related("user")
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("status", "user__display_name", "pk")
    )


def member_names(*, group: PeerGroup) -> list[str]:
    """Display names of the people in the group, as members see each other."""
    return list(
        Membership.objects.taking_part()
        .filter(group=group)
        .order_by("user__display_name")
        .values_list("user__display_name", flat=True)
    )


def memberships_for_person(*, user) -> list[Membership]:
    """ "My groups": every group this person has been in or asked to join.

    Read from the memberships the permission layer loaded for this request (with their
    groups), so the page runs no query of its own; sorted by name with case set aside.
    """

    return sorted(memberships_of(user).values(), key=lambda m: (m.group.name.casefold(), m.pk))


def current_pairings(*, group: PeerGroup, user=None) -> QuerySet[Mentorship]:
    """Current mentor pairings of the group; with `user`, only those they are part of."""
    found = Mentorship.objects.filter(group=group, ended_at__isnull=True)
    if user is not None:
        found = found.filter(Q(mentor=user) | Q(mentee=user))
    return found.select_related("mentor", "mentee").order_by("created_at", "pk")


def willing_mentors(*, group: PeerGroup) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(group=group, status=Status.ACTIVE, willing_to_mentor=True)
        .select_related("user")
        .order_by("user__display_name")
    )


def newcomers_without_mentor(*, group: PeerGroup) -> QuerySet[Membership]:
    """Active members without a current mentor, newest first (the likely newcomers)."""
    paired = Mentorship.objects.filter(group=group, ended_at__isnull=True).values("mentee_id")
    return (
        Membership.objects.filter(group=group, status=Status.ACTIVE, role=Membership.Role.MEMBER)
        .exclude(user_id__in=paired)
        .select_related("user")
        .order_by("-joined_at", "pk")
    )


def invitations_of(*, group: PeerGroup) -> QuerySet[Invitation]:
    return Invitation.objects.filter(group=group).order_by("-created_at", "-pk")


def invitation_by_token(*, token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("group").filter(token=token).first()
