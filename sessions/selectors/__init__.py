"""Reads about meetings: pages, lists, the facilitator dashboard, who sees place and link.

The package's modules hold the other reads: rsvp (seats, waitlist, who may RSVP), agenda,
roles, live, disengagement and home.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups import selectors as group_selectors
from groups.models import PeerGroup
from peersupport import cache
from sessions.models import AgendaItem, Meeting, MeetingRole, Rsvp
from sessions.selectors.rsvp import rsvp_counts_attach

MEETINGS_PAGE_SIZE = 20
DASHBOARD_PAGE_SIZE = 20  # the next meetings first; later ones a page further


@dataclass(frozen=True)
class LocationAccess:
    """Whether a person sees a meeting's place and link, and if not, why (for the page)."""

    visible: bool
    reason: str = ""  # "not_member", "agreement", "not_going" or "too_early"
    shown_from: datetime.datetime | None = None


def meeting_location_access(
    user,
    meeting: Meeting,
    *,
    now: datetime.datetime | None = None,
    going_ids: set[int] | None = None,
) -> LocationAccess:
    """THE rule for a meeting's place and link, on every page, email and calendar feed:
    the group's rule (membership, agreement), its choice of who sees them (signed members,
    or only those who said they're going) and its "only N hours before" setting.

    Facilitators and organizers always see them: they need to prepare the room.
    `going_ids`: the meetings this person said they're going to, when the caller (the
    feed) already knows them; otherwise asked here when the group's choice needs it.
    """
    group = meeting.group
    if not group_selectors.can_see_private_location(user, group):
        if group_selectors.is_active_member(user, group):
            return LocationAccess(False, "agreement")
        return LocationAccess(False, "not_member")
    if group_selectors.runs_group(user, group):
        return LocationAccess(True)
    if group.reveal_location_to == PeerGroup.RevealTo.GOING:
        if going_ids is not None:
            going = meeting.pk in going_ids
        else:
            going = Rsvp.objects.filter(
                meeting_id=meeting.pk, user_id=user.pk, status=Rsvp.Status.GOING
            ).exists()
        if not going:
            return LocationAccess(False, "not_going")
    hours = group.reveal_location_hours_before
    if hours is None:
        return LocationAccess(True)
    shown_from = meeting.starts_at - datetime.timedelta(hours=hours)
    if (now or timezone.now()) < shown_from:
        return LocationAccess(False, "too_early", shown_from)
    return LocationAccess(True)


def can_see_meeting_location(user, meeting: Meeting) -> bool:
    """THE question every page, email and feed asks before showing a place or link."""
    return meeting_location_access(user, meeting).visible


def meeting_page_key(pk: int) -> str:
    return f"meeting-page:{pk}"


def meeting_page_scopes(pk: int) -> tuple[str, ...]:
    return (f"meeting:{pk}", "people")


def meeting_for_page(pk: int) -> Meeting | None:
    """A meeting with everything its page shows, in a fixed number of queries.

    Every meeting page, edit, cancel and calendar view starts here, so the rows come from
    the cache (`peersupport.cache`) while neither the meeting (its agenda, roles), nor its
    group, organisation or series, nor a name shown on it changed. Of the facilitator and
    role holders only the columns a page shows are loaded (`cache.PERSON_COLUMNS`).
    """
    meeting, version = cache.fetch_versioned(
        meeting_page_key(pk),
        meeting_page_scopes(pk),
        lambda: _load_meeting(pk),
        more=_meeting_scopes,
    )
    if meeting is not None:
        # Changes with any of those rows: the page caches its agenda and roles under it.
        meeting.rows_version = version
    return meeting


def meeting_own_key(pk: int) -> str:
    return f"meeting-own:{pk}"


def meeting_for_reader(pk: int) -> Meeting | None:
    """`meeting_for_page` without its agenda: what a meeting's page decides per reader
    from (place and link, RSVP, tools; roles for `meetings.live`). Kept in the cache like
    it, under the same scopes, so its `rows_version` is the same; the page draws what is
    the same for everyone (the agenda among it) once per version, and so reads and
    unpickles the lighter rows on each request (`with_agenda` adds the agenda to draw).
    """
    meeting, version = cache.fetch_versioned(
        meeting_own_key(pk),
        meeting_page_scopes(pk),
        lambda: _meeting_rows().filter(pk=pk).first(),
        more=_meeting_scopes,
    )
    if meeting is not None:
        meeting.rows_version = version
    return meeting


def with_agenda(meeting: Meeting) -> Meeting:
    """`meeting` (from `meeting_for_reader`) with its agenda items, in one query."""
    prefetch_related_objects([meeting], _agenda_prefetch())
    return meeting


def _meeting_scopes(meeting: Meeting | None) -> list[str]:
    if meeting is None:
        return []
    scopes = [f"group:{meeting.group_id}", f"org:{meeting.group.organisation_id}"]
    if meeting.series_id:
        scopes.append(f"series:{meeting.series_id}")
    return scopes


def _load_meeting(pk: int) -> Meeting | None:
    return _meeting_rows().prefetch_related(_agenda_prefetch()).filter(pk=pk).first()


def _meeting_rows() -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("group", "group__organisation", "facilitator", "series")
        .defer(*_hidden_person_columns("facilitator"))
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=MeetingRole.objects.select_related("user").defer(
                    *_hidden_person_columns("user")
                ),
            ),
        )
    )


def _agenda_prefetch() -> Prefetch:
    return Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))


def _hidden_person_columns(relation: str) -> list[str]:
    """The account columns (password hash, email, settings...) a page never shows."""
    return [
        f"{relation}__{field.name}"
        for field in get_user_model()._meta.concrete_fields
        if field.name not in cache.PERSON_COLUMNS
    ]


def meeting_agenda_summary(meeting: Meeting) -> dict:
    """Items, total minutes and whether they fit, from prefetched agenda items."""
    items = list(meeting.agenda_items.all())
    total = sum(item.minutes for item in items)
    return {
        "items": items,
        "total_minutes": total,
        "fits": total <= meeting.duration_minutes,
    }


def group_meetings(group: PeerGroup, *, past: bool = False) -> QuerySet[Meeting]:
    """The group's upcoming meetings (soonest first) or past ones (latest first)."""
    now = timezone.now()
    meetings = Meeting.objects.filter(group=group).select_related("facilitator")
    if past:
        return meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return meetings.filter(ends_at__gte=now).order_by("starts_at", "pk")


def facilitator_upcoming_meetings(user, *, limit: int = DASHBOARD_PAGE_SIZE, offset: int = 0):
    """The next scheduled meetings of every group the person runs, for the dashboard.

    Each meeting carries `agenda_count`, `agenda_minutes`, `unfilled_roles` (labels of
    roles nobody holds yet) and `rsvp_going`/`rsvp_waiting`; the query count does not grow
    with meetings or groups. The dashboard keeps its first page's meetings in the cache
    under `dashboard_scopes` until `until_first_ends` (sessions/views/dashboard.py).
    """
    items = AgendaItem.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    meetings = list(
        Meeting.objects.scheduled()
        .filter(
            group__in=group_selectors.groups_run_by(user).order_by(), ends_at__gte=timezone.now()
        )
        .select_related("group")
        .prefetch_related("roles")
        .annotate(
            agenda_count=Coalesce(
                Subquery(items.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
                0,
            ),
            agenda_minutes=Coalesce(
                Subquery(items.annotate(m=Sum("minutes")).values("m"), output_field=IntegerField()),
                0,
            ),
        )
        .order_by("starts_at", "pk")[offset : offset + limit]
    )
    for meeting in meetings:
        held = {role.role for role in meeting.roles.all()}
        unfilled = [
            (value, label) for value, label in MeetingRole.Role.choices if value not in held
        ]
        meeting.unfilled_role_values = [value for value, _label in unfilled]
        meeting.unfilled_roles = [label for _value, label in unfilled]
    return rsvp_counts_attach(meetings)


def dashboard_scopes(user) -> tuple[str, ...]:
    """What the first page of a person's dashboard depends on (`peersupport.cache_scopes`):
    their roles, and the meetings (with agendas, roles, RSVPs, group names) of every
    organisation they run groups in."""
    organisations = sorted(
        {m.group.organisation_id for m in group_selectors.memberships_of(user).values()}
        | {org for org, _role in group_selectors.organisation_roles_of(user)}
    )
    return (f"person:{user.pk}", *(f"org-meetings:{o}" for o in organisations))


def until_first_ends(meetings: list[Meeting]) -> float:
    """Seconds until the first of these meetings ends and drops off the list."""
    if not meetings:
        return settings.ROW_CACHE_SECONDS
    return (min(m.ends_at for m in meetings) - timezone.now()).total_seconds()


def groups_with_next_meeting_at(groups, now: datetime.datetime | None = None):
    """Annotate `next_meeting_at`: each group's next scheduled meeting (no query per group)."""
    upcoming = Meeting.objects.open(now).filter(group=OuterRef("pk")).order_by("starts_at")
    return groups.annotate(next_meeting_at=Subquery(upcoming.values("starts_at")[:1]))


def group_next_meeting_start(group, now: datetime.datetime | None = None):
    found = group_next_scheduled_meeting(group, now=now)
    return found.starts_at if found else None


def group_next_scheduled_meeting(
    group: PeerGroup, *, now: datetime.datetime | None = None
) -> Meeting | None:
    """The group's next scheduled meeting row (one query), or None."""
    return Meeting.objects.open(now).filter(group=group).order_by("starts_at").first()
