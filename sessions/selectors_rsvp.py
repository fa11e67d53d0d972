"""Reads for RSVPs, attendance, calendar feeds and community events (issue 7)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import selectors as group_selectors
from groups.models import Membership, Organisation, PeerGroup
from groups.selectors_agreements import has_signed_current_agreement
from peersupport import cache
from peersupport.errors import DomainError
from peersupport.permissions import has_perm
from sessions.models import Attendance, CalendarFeed, CommunityEvent, EventRsvp, Meeting, Rsvp
from sessions.services import rsvp as rsvp_services

FEED_PAST_DAYS = 7
FEED_LIMIT = 200
EVENTS_PAGE_SIZE = 50


@dataclass(frozen=True)
class Seats:
    mode: str
    label: str
    limit: int | None
    going: int
    waiting: int

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.going, 0)

    @property
    def over_by(self) -> int:
        return 0 if self.limit is None else max(self.going - self.limit, 0)


@dataclass
class RsvpPanel:
    """Everything the meeting page's RSVP panel shows; the template decides nothing."""

    seats: list[Seats] = field(default_factory=list)
    rsvp: Rsvp | None = None
    position: int | None = None
    can_rsvp: bool = False
    can_leave: bool = False  # after RSVPs close: still free a seat or leave the line
    blocked_message: str = ""
    come_back_url: str = ""
    sign_url: str = ""
    modes: list[tuple[str, str]] = field(default_factory=list)
    closes_at: datetime.datetime | None = None
    can_manage: bool = False
    can_download: bool = False


def meeting_seats(meeting: Meeting, counts: dict | None = None) -> list[Seats]:
    """Going and waiting per kind of seat, in one query (none when `counts` are given)."""
    if counts is None:
        counts = seat_counts(meeting)
    result = []
    for mode, label in meeting_modes(meeting):
        result.append(
            Seats(
                mode=mode,
                label=str(label),
                limit=rsvp_services.seat_limit(meeting, mode),
                going=counts.get((mode, Rsvp.Status.GOING), 0),
                waiting=counts.get((mode, Rsvp.Status.WAITLISTED), 0),
            )
        )
    return result


def seat_counts(meeting: Meeting) -> dict[tuple[str, str], int]:
    """{(mode, status): people} of those who said yes or wait, in one query."""
    return {
        (row["mode"], row["status"]): row["n"]
        for row in Rsvp.objects.filter(meeting=meeting)
        .exclude(status=Rsvp.Status.NOT_GOING)
        .values("mode", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }


def rsvp_state(user, meeting: Meeting) -> dict:
    """This person's RSVP, their place in the waitlist and the meeting's seat counts.

    From the cache (`peersupport.cache`) while no RSVP of the meeting changed (every save
    or delete of one renews "meeting-rsvps:<id>", `peersupport.cache_scopes`): a waitlist
    position or a seat count depends on everyone's answers, so any answer renews them all.
    """

    def load() -> dict:
        rsvp = Rsvp.objects.filter(meeting=meeting, user=user).first()
        return {
            "rsvp": rsvp,
            "position": rsvp_services.rsvp_waitlist_position(rsvp) if rsvp else None,
            "counts": seat_counts(meeting),
        }

    return cache.fetch(f"rsvp-state:{meeting.pk}:{user.pk}", (f"meeting-rsvps:{meeting.pk}",), load)


def meeting_modes(meeting: Meeting) -> list[tuple[str, str]]:
    if meeting.format == PeerGroup.Format.HYBRID:
        return list(Rsvp.Mode.choices)
    mode = rsvp_services.rsvp_mode_for(meeting)
    return [(mode, Rsvp.Mode(mode).label)]


def _blocked_message(user, meeting: Meeting) -> tuple[str, str, str]:
    """(why this person can't RSVP now, come-back URL, agreement URL)."""
    try:
        rsvp_services.rsvp_open_check(meeting)
    except DomainError as error:
        return error.message, "", ""
    found = group_selectors.membership(user, meeting.group)
    if found is not None and found.status == Membership.Status.ON_BREAK:
        url = reverse("groups:inside", args=[meeting.group.slug])
        return (
            str(_("You are taking a break from this group. Would you like to come back?")),
            url,
            "",
        )
    if found is None or found.status != Membership.Status.ACTIVE:
        return str(_("Only active members of the group can RSVP.")), "", ""
    if not found.is_facilitator and not has_signed_current_agreement(user, meeting.group):
        url = reverse("groups:agreement_sign", args=[meeting.group.slug])
        return str(_("Please sign the group's current agreement to RSVP.")), "", url
    return "", "", ""


def rsvp_blocker(user, meeting: Meeting) -> str:
    """Why this person can't RSVP to this meeting now ("" when they can). No query beyond
    the permission layer's cached rows: lists of meetings ask it for each one."""
    return _blocked_message(user, meeting)[0]


def rsvp_panel(user, meeting: Meeting) -> RsvpPanel:
    """The RSVP panel of the meeting page, in a fixed number of queries."""
    state = rsvp_state(user, meeting)
    rsvp = state["rsvp"]
    message, come_back, sign = _blocked_message(user, meeting)
    holding = rsvp is not None and rsvp.status != Rsvp.Status.NOT_GOING
    try:
        rsvp_services.rsvp_open_check(meeting, leaving=True)
        still_on = True
    except DomainError:
        still_on = False
    return RsvpPanel(
        seats=meeting_seats(meeting, state["counts"]),
        rsvp=rsvp,
        can_leave=bool(message) and holding and still_on,
        position=state["position"],
        can_rsvp=not message,
        blocked_message=message,
        come_back_url=come_back,
        sign_url=sign,
        modes=meeting_modes(meeting),
        closes_at=rsvp_services.rsvp_closes_at(meeting),
        can_manage=has_perm(user, "meetings.rsvp_manage", meeting),
        can_download=meeting.status == Meeting.Status.SCHEDULED,
    )


def rsvp_panel_context(user, meeting: Meeting) -> dict:
    """What C1's meeting page passes to `meetings/rsvp/fragments/rsvp_panel.html`."""
    return {"rsvp_panel": rsvp_panel(user, meeting)}


def meeting_rsvp_list(meeting: Meeting) -> dict:
    """For facilitators: who is going (per kind), the waitlist in order, who said no."""
    rows = list(
        Rsvp.objects.filter(meeting=meeting)
        .select_related("user")
        .order_by("waitlisted_at", "updated_at", "pk")
    )
    return {
        "seats": meeting_seats(meeting),
        "going": [r for r in rows if r.status == Rsvp.Status.GOING],
        "waiting": [r for r in rows if r.status == Rsvp.Status.WAITLISTED],
        "not_going": [r for r in rows if r.status == Rsvp.Status.NOT_GOING],
    }


def rsvp_counts_for(meetings: list[Meeting]) -> dict[int, dict[str, int]]:
    """{meeting id: {"going": n, "waitlisted": n}} in one query (facilitator dashboard)."""
    counts: dict[int, dict[str, int]] = {m.pk: {"going": 0, "waitlisted": 0} for m in meetings}
    rows = (
        Rsvp.objects.filter(meeting__in=[m.pk for m in meetings])
        .exclude(status=Rsvp.Status.NOT_GOING)
        .values("meeting_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["meeting_id"]][row["status"]] = row["n"]
    return counts


def rsvp_counts_attach(meetings: list[Meeting]) -> list[Meeting]:
    """Give each meeting `rsvp_going` and `rsvp_waiting` (one query, for the dashboard)."""
    counts = rsvp_counts_for(meetings)
    for meeting in meetings:
        meeting.rsvp_going = counts[meeting.pk]["going"]
        meeting.rsvp_waiting = counts[meeting.pk]["waitlisted"]
    return meetings


# --- Attendance ------------------------------------------------------------------------
def attendance_sheet(meeting: Meeting) -> list[dict]:
    """Each person who can be marked, with their RSVP and current mark (three queries)."""
    from sessions.services.attendance import attendance_people

    people = list(attendance_people(meeting))
    marks = dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "status"))
    answers = dict(Rsvp.objects.filter(meeting=meeting).values_list("user_id", "status"))
    return [
        {
            "person": person,
            "mark": marks.get(person.pk, ""),
            "rsvp": answers.get(person.pk, ""),
        }
        for person in people
    ]


def statement_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose meetings this person attended (for the statement form)."""
    return Organisation.objects.filter(
        groups__meetings__attendance__user=user,
        groups__meetings__attendance__status=Attendance.Status.PRESENT,
    ).distinct()


# --- Calendar feeds ----------------------------------------------------------------------
# What building a feed reads, and nothing more: the feed's owner (the access rule and
# discreet mode), and of each meeting and its group what the VEVENT and the rule show.
FEED_USER_FIELDS = ("user__id", "user__is_active", "user__discreet_mode")
FEED_MEETING_FIELDS = (
    "id",
    "group_id",
    "starts_at",
    "ends_at",
    "time_zone",
    "topic",
    "format",
    "place",
    "online_link",
    "status",
    "sequence",
    "group__id",
    "group__organisation_id",
    "group__name",
    "group__place",
    "group__online_link",
    "group__reveal_location_hours_before",
    "group__reveal_location_to",
)


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a token opens, with its owner; None when revoked, never issued or the
    owner is no longer active (the view 404s)."""
    return (
        CalendarFeed.objects.select_related("user")
        .only("id", "token", "user_id", *FEED_USER_FIELDS)
        .filter(token=token, user__is_active=True)
        .first()
    )


def calendar_feed_group_ids(user) -> list[int]:
    """The groups whose meetings go in the member's feed: those they take part in (active
    or facilitating, not on a break)."""
    return [
        gid
        for gid, m in group_selectors.memberships_of(user).items()
        if m.status == Membership.Status.ACTIVE
    ]


def calendar_feed_meetings(user, *, group_ids: list[int] | None = None) -> list[Meeting]:
    """The member's meetings for their feed: upcoming ones of `calendar_feed_group_ids`,
    plus the past week; cancelled ones stay so calendars remove them. Constant queries
    whatever the number of meetings."""
    if group_ids is None:
        group_ids = calendar_feed_group_ids(user)
    if not group_ids:
        return []
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return list(
        Meeting.objects.filter(group_id__in=group_ids, ends_at__gte=since)
        .select_related("group")
        .only(*FEED_MEETING_FIELDS)
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )


# --- Community events --------------------------------------------------------------------
def organisation_events(organisation: Organisation, *, past: bool = False):
    """Public events of an organisation with their seat counts (one query)."""
    now = timezone.now()
    events = CommunityEvent.objects.filter(organisation=organisation).annotate(
        going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING))
    )
    if past:
        return events.filter(ends_at__lt=now).order_by("-starts_at")[:EVENTS_PAGE_SIZE]
    return events.filter(ends_at__gte=now).order_by("starts_at")[:EVENTS_PAGE_SIZE]


def event_for_page(pk: int) -> CommunityEvent | None:
    return (
        CommunityEvent.objects.select_related("organisation")
        .annotate(going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING)))
        .filter(pk=pk)
        .first()
    )


def event_rsvp_of(user, event: CommunityEvent) -> EventRsvp | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return EventRsvp.objects.filter(event=event, user=user).first()
