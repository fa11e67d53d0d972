"""Reads for RSVPs, attendance, calendar feeds and community events."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from groups import selectors as group_selectors
from groups.models import Membership, Organisation
from groups.selectors.agreements import has_signed_current_agreement
from peersupport import cache
from peersupport.permissions import has_perm
from sessions.models import Attendance, CalendarFeed, CommunityEvent, EventRsvp, Meeting, Rsvp
from sessions.models.rsvp import AnswerMeaning

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


@dataclass(frozen=True)
class OwnRsvp(AnswerMeaning):
    """The reader's own answer as their RSVP panel shows it: plain values (kept in the
    cache as a tuple, which unpickles far more cheaply than the row)."""

    status: str
    mode: str
    access_needs: str


@dataclass
class RsvpPanel:
    """Everything the meeting page's RSVP panel shows; the template decides nothing."""

    seats: list[Seats] = field(default_factory=list)
    rsvp: OwnRsvp | None = None
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
    # The version of the RSVPs the seats were counted from ("" when not cached): the
    # page keeps the seats drawn under it.
    seats_version: str = ""

    # What the panel says to this reader, worded here (one translation each) rather than
    # chosen among in the template.
    @property
    def choosing_mode(self) -> bool:
        return len(self.modes) > 1

    @property
    def status_text(self) -> str:
        """The reader's own answer, in words ("" before they gave one)."""
        rsvp = self.rsvp
        if rsvp is None:
            return ""
        if rsvp.is_going:
            if self.choosing_mode:
                return _worded(_("You're going (%(mode)s)."), mode=Rsvp.Mode(rsvp.mode).label)
            return _worded(_("You're going."))
        if rsvp.is_waitlisted:
            return _worded(
                _("You're on the waitlist: number %(n)s. We'll email you if a seat frees up."),
                n=self.position,
            )
        return _worded(_("You said you can't make it."))

    @property
    def going_label(self) -> str:
        if self.rsvp is not None and self.rsvp.is_going and self.choosing_mode:
            return _worded(_("Change how I join"))
        return _worded(_("I'm going"))

    @property
    def leave_label(self) -> str:
        """The button that frees the reader's seat, leaves the line or says no."""
        if self.rsvp is not None and self.rsvp.is_going:
            return _worded(_("I can't make it: free my seat"))
        if self.rsvp is not None and self.rsvp.is_waitlisted:
            return _worded(_("Leave the waitlist"))
        return _worded(_("Not going"))


def _worded(text: str, **values) -> SafeString:
    """A translated sentence as `{% translate %}` and `{% blocktranslate %}` give it: our
    own words as they are, the values put in escaped."""
    if values:
        text = text % {name: conditional_escape(value) for name, value in values.items()}
    return SafeString(text)  # nosec B703


@dataclass(frozen=True)
class RsvpBlocker:
    """Why a person can't RSVP now, and where they can put it right (if anywhere)."""

    message: str
    come_back_url: str = ""
    sign_url: str = ""


def rsvp_closed_reason(
    meeting: Meeting, *, leaving: bool = False, now: datetime.datetime | None = None
) -> str:
    """Why this meeting takes no RSVP now ("" while it does): cancelled, past or closed.

    Saying "can't make it" (`leaving`) stays possible after RSVPs close, until the start:
    a freed seat is better than an empty chair.
    """
    now = now or timezone.now()
    if meeting.is_cancelled:
        return _("This meeting was cancelled, so there is nothing to RSVP to.")
    if not meeting.is_open_at(now):
        return _("This meeting has already started or taken place.")
    if not leaving and meeting.rsvp_closes_at <= now:
        return _("RSVPs for this meeting have closed. Please contact the facilitator if needed.")
    return ""


def rsvp_blocker(member, meeting: Meeting, *, leaving: bool = False) -> RsvpBlocker | None:
    """Why this person can't RSVP to this meeting now, or None when they can.

    The one rule: the RSVP service refuses with it; the RSVP panel and the home page explain
    with it. Only active members (facilitators too) with a signature of the group's current
    agreement RSVP; the facilitators run the meetings and are never asked to sign first. No
    query beyond the permission layer's cached rows: lists of meetings ask it for each one.
    """
    closed = rsvp_closed_reason(meeting, leaving=leaving)
    if closed:
        return RsvpBlocker(closed)
    group = meeting.group
    found = group_selectors.membership(member, group)
    if found is not None and found.status == Membership.Status.ON_BREAK:
        return RsvpBlocker(
            _("You are taking a break from this group. Would you like to come back?"),
            come_back_url=reverse("groups:inside", args=[group.slug]),
        )
    if found is None or found.status != Membership.Status.ACTIVE:
        return RsvpBlocker(_("Only active members of the group can RSVP."))
    if not found.is_facilitator and not has_signed_current_agreement(member, group):
        return RsvpBlocker(
            _("Please sign the group's current agreement to RSVP."),
            sign_url=reverse("groups:agreement_sign", args=[group.slug]),
        )
    return None


def seats_free(*, limit: int | None, going: int) -> int | None:
    """How many seats are still free (None: no limit). Meetings and community events alike."""
    return None if limit is None else max(limit - going, 0)


def waitlist_next(waiting: QuerySet, *, limit: int | None, going: int) -> list:
    """The people waiting who get a free seat now: first come (earliest `waitlisted_at`, then
    id) first served, as many as seats are free. The one waitlist rule of meetings and
    community events; call it with the row that owns the seats locked."""
    free = seats_free(limit=limit, going=going)
    if free == 0:
        return []
    in_line = waiting.order_by("waitlisted_at", "pk").select_related("user")
    return list(in_line if free is None else in_line[:free])


def place_in_line(row, waiting: QuerySet) -> int | None:
    """1 for the first in line of `waiting` (the same waitlist); None when `row` is not
    waiting. Meeting and community event RSVPs alike."""
    if row.status != Rsvp.Status.WAITLISTED:
        return None
    return waiting.filter(waitlisted_at__lt=row.waitlisted_at).count() + 1


def rsvp_waitlist_position(rsvp: Rsvp) -> int | None:
    """1 for the first in line for this kind of seat; None when not waiting."""
    waiting = Rsvp.objects.filter(
        meeting_id=rsvp.meeting_id, status=Rsvp.Status.WAITLISTED, mode=rsvp.mode
    )
    return place_in_line(rsvp, waiting)


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
                limit=meeting.seat_limit(mode),
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


def rsvp_state(user, meeting: Meeting) -> tuple[dict, str]:
    """This person's RSVP (its status, mode and access needs, as values), their place in
    the waitlist and the meeting's seat counts, and the version of the meeting's RSVPs
    they were read under ("" when not cached).

    From the cache (`peersupport.cache`) while no RSVP of the meeting changed (every save
    or delete of one renews "meeting-rsvps:<id>", `peersupport.cache_scopes`): a waitlist
    position or a seat count depends on everyone's answers, so any answer renews them all.
    """

    def load() -> dict:
        rsvp = Rsvp.objects.filter(meeting=meeting, user=user).first()
        return {
            "rsvp": (rsvp.status, rsvp.mode, rsvp.access_needs) if rsvp else None,
            "position": rsvp_waitlist_position(rsvp) if rsvp else None,
            "counts": seat_counts(meeting),
        }

    key, scopes = rsvp_state_entry(meeting.pk, user.pk)
    return cache.fetch_versioned(key, scopes, load)


def rsvp_state_entry(meeting_id: int, user_id: int) -> tuple[str, tuple[str, ...]]:
    """Where `rsvp_state` is kept, and its scope (a meeting's page reads it ahead)."""
    return f"rsvp-own:{meeting_id}:{user_id}", (f"meeting-rsvps:{meeting_id}",)


def meeting_modes(meeting: Meeting) -> list[tuple[str, str]]:
    return [(kind, Rsvp.Mode(kind).label) for kind in meeting.seat_kinds]


def rsvp_panel(user, meeting: Meeting) -> RsvpPanel:
    """The RSVP panel of the meeting page, in a fixed number of queries."""
    state, version = rsvp_state(user, meeting)
    rsvp = OwnRsvp(*state["rsvp"]) if state["rsvp"] else None
    blocker = rsvp_blocker(user, meeting)
    holding = rsvp is not None and rsvp.is_holding
    still_on = not rsvp_closed_reason(meeting, leaving=True)
    return RsvpPanel(
        seats=meeting_seats(meeting, state["counts"]),
        rsvp=rsvp,
        can_leave=blocker is not None and holding and still_on,
        position=state["position"],
        can_rsvp=blocker is None,
        blocked_message=blocker.message if blocker else "",
        come_back_url=blocker.come_back_url if blocker else "",
        sign_url=blocker.sign_url if blocker else "",
        modes=meeting_modes(meeting),
        closes_at=meeting.rsvp_closes_at,
        can_manage=has_perm(user, "meetings.rsvp_manage", meeting),
        can_download=meeting.is_scheduled,
        seats_version=version,
    )


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
    # attendance -> calendar -> selectors -> this module: imported on use.
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
FEED_USER_FIELDS = (
    "user__id",
    "user__is_active",
    "user__discreet_mode",
    "user__preferred_language",  # the language the feed is written in
)
# The columns every list or feed of meetings reads.
MEETING_LIST_FIELDS = ("id", "group_id", "starts_at", "ends_at", "time_zone", "topic", "format")
FEED_MEETING_FIELDS = (
    *MEETING_LIST_FIELDS,
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
