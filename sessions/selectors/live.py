"""Reads for the live meeting view."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from groups.models import Membership
from sessions.models import AgendaItem, Attendance, Meeting
from sessions.services.attendance import attendance_people


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    present: bool
    on_break: bool
    can_check_in: bool  # active members only


@dataclass(frozen=True)
class Speaker:
    name: str
    status: str  # waiting, spoke or passed
    current: bool

    @property
    def spoke(self) -> bool:
        return self.status == "spoke"

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class LiveState:
    meeting: Meeting
    items: list[AgendaItem]
    current: AgendaItem | None
    ends_at: datetime.datetime | None  # when the current item's minutes run out
    finished: bool
    people: list[Person]
    speakers: list[Speaker]
    current_speaker: Speaker | None
    round_done: bool
    now: datetime.datetime

    @property
    def remaining_seconds(self) -> int | None:
        if self.ends_at is None:
            return None
        return int((self.ends_at - self.now).total_seconds())

    @property
    def remaining_label(self) -> str:
        """ "mm:ss" left on the current item, "-mm:ss" when it runs over (live.js ticks it)."""
        seconds = self.remaining_seconds
        if seconds is None:
            return ""
        sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
        return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"

    @property
    def position(self) -> int:
        return self.meeting.live_item + 1

    @property
    def present_count(self) -> int:
        return sum(1 for p in self.people if p.present)


def _people(meeting: Meeting) -> list[Person]:
    """Who may be checked in (the attendance service's list: the group and RSVPs), by name."""
    present = set(
        Attendance.objects.filter(meeting=meeting, status=Attendance.Status.PRESENT).values_list(
            "user_id", flat=True
        )
    )
    statuses = dict(
        Membership.objects.filter(
            group_id=meeting.group_id,
            status__in=[Membership.Status.ON_BREAK, Membership.Status.ACTIVE],
        ).values_list("user_id", "status")
    )
    return [
        Person(
            user.pk,
            user.display_name,
            user.pk in present,
            statuses.get(user.pk) == Membership.Status.ON_BREAK,
            statuses.get(user.pk) == Membership.Status.ACTIVE,
        )
        for user in attendance_people(meeting)
    ]


def checkin_person(meeting: Meeting, user_id: int):
    """The person to check in, if they are an active member of the meeting's group."""
    from members.models import User

    return User.objects.filter(
        pk=user_id,
        is_active=True,
        memberships__group_id=meeting.group_id,
        memberships__status=Membership.Status.ACTIVE,
    ).first()


def live_state(meeting: Meeting, *, with_people: bool = True) -> LiveState:
    """The live panel's state; `with_people=False` leaves out who is there, on a break or
    speaking (timekeepers and note-takers see the timers and the agenda only)."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    started = meeting.live_started_at is not None
    finished = started and meeting.live_item >= len(items)
    current = items[meeting.live_item] if started and not finished else None
    ends_at = (
        meeting.live_item_started_at + datetime.timedelta(minutes=current.minutes)
        if current is not None and meeting.live_item_started_at
        else None
    )
    people = _people(meeting) if with_people else []
    names = {p.pk: p.name for p in people}
    position = meeting.speaking_position
    speakers = [
        Speaker(names.get(entry["user"], "?"), entry["status"], index == position)
        for index, entry in enumerate(meeting.speaking_order)
    ]
    return LiveState(
        meeting=meeting,
        items=items,
        current=current,
        ends_at=ends_at,
        finished=finished,
        people=people,
        speakers=speakers if with_people else [],
        current_speaker=(speakers[position] if with_people and position < len(speakers) else None),
        round_done=with_people and bool(speakers) and position >= len(speakers),
        now=timezone.now(),
    )
