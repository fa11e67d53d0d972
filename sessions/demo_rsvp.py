"""Demo RSVPs, a waitlist and a community event, run by `sessions/demo.py`.

Rows are written directly (no emails go out from demo data). Safe to rerun: existing
RSVPs and the event are kept as they are.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from groups.models import Membership, Organisation
from members.models import User
from sessions.models import CommunityEvent, EventRsvp, Meeting, Rsvp
from sessions.services import recurrence


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _rsvp(meeting: Meeting, user: User, status: str, mode: str) -> bool:
    waitlisted_at = timezone.now() if status == Rsvp.Status.WAITLISTED else None
    _row, created = Rsvp.objects.get_or_create(
        meeting=meeting,
        user=user,
        defaults={"status": status, "mode": mode, "waitlisted_at": waitlisted_at},
    )
    return created


def _mode(meeting: Meeting) -> str:
    return Rsvp.Mode.ONLINE if meeting.format == "online" else Rsvp.Mode.IN_PERSON


def seed_rsvps() -> int:
    """The demo member is going to their groups' next meetings; at one meeting, full in
    person, they wait first in line behind the facilitator."""
    member, facilitator = _user("member@example.org"), _user("facilitator@example.org")
    if member is None or facilitator is None:
        return 0
    group_ids = Membership.objects.filter(user=member, status="active").values("group_id")
    created = 0
    for group_id in group_ids:
        upcoming = list(
            Meeting.objects.open().filter(group_id=group_id["group_id"]).order_by("starts_at")[:3]
        )
        if len(upcoming) < 3:
            continue
        for meeting in upcoming[:2]:
            created += _rsvp(meeting, member, Rsvp.Status.GOING, _mode(meeting))
        full = upcoming[2]
        waitlist_shown = Rsvp.objects.filter(user=member, status=Rsvp.Status.WAITLISTED).exists()
        if not waitlist_shown and not Rsvp.objects.filter(meeting=full).exists():
            # A small room this time: one seat, so the waitlist shows.
            Meeting.objects.filter(pk=full.pk).update(capacity=1)
            created += _rsvp(full, facilitator, Rsvp.Status.GOING, _mode(full))
            created += _rsvp(full, member, Rsvp.Status.WAITLISTED, _mode(full))
    return created


def seed_event() -> int:
    organisation = Organisation.objects.filter(name="Harbour Peer Network").first()
    organizer = _user("organizer@example.org")
    if organisation is None or CommunityEvent.objects.filter(organisation=organisation).exists():
        return 0
    day = timezone.localdate() + datetime.timedelta(days=17)
    starts = recurrence.local_to_aware(day, datetime.time(18, 30), "Europe/London")
    event = CommunityEvent.objects.create(
        organisation=organisation,
        title="Open evening: what is peer support?",
        description=(
            "Meet our facilitators, hear how a peer group works and ask anything. "
            "Tea and biscuits; no need to share anything personal."
        ),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
        time_zone="Europe/London",
        place="Harbour Community Centre, Main Hall, 12 Quay Street",
        capacity=40,
        created_by=organizer,
    )
    for email in ("member@example.org", "outsider@example.org"):
        user = _user(email)
        if user is not None:
            EventRsvp.objects.create(event=event, user=user, status=Rsvp.Status.GOING)
    return 1


def seed(out) -> None:
    rsvps = seed_rsvps()
    events = seed_event()
    out.write(f"  {rsvps} RSVPs (one meeting with a waitlist), {events} community event")
