"""Meetings and everything around them, one module per concern; import from here."""

from sessions.models.agenda import (
    AgendaItem,
    AgendaTemplate,
    AgendaTemplateItem,
    MeetingRole,
    RoleWillingness,
)
from sessions.models.followup import (
    Attendance,
    AttendanceStatement,
    Debrief,
    GentleCheckin,
    statement_public_id,
)
from sessions.models.meetings import (
    Meeting,
    MeetingNote,
    MeetingQuerySet,
    MeetingSeries,
    SeatKind,
    SeatLimit,
)
from sessions.models.rsvp import CalendarFeed, CommunityEvent, EventRsvp, Rsvp

__all__ = [
    "AgendaItem",
    "AgendaTemplate",
    "AgendaTemplateItem",
    "Attendance",
    "AttendanceStatement",
    "CalendarFeed",
    "CommunityEvent",
    "Debrief",
    "EventRsvp",
    "GentleCheckin",
    "Meeting",
    "MeetingNote",
    "MeetingQuerySet",
    "MeetingRole",
    "MeetingSeries",
    "RoleWillingness",
    "Rsvp",
    "SeatKind",
    "SeatLimit",
    "statement_public_id",
]
