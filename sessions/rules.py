"""Permission rules for meetings (registered in peersupport.permissions)."""

from groups import selectors as group_selectors
from groups.rules import group_member_area
from peersupport.permissions import rule, signed_in


@rule("meetings.view")
def meeting_view(user, meeting) -> bool:
    """A meeting's page: people inside its group (member area) and who runs the group."""
    return group_member_area(user, meeting.group)


@rule("meetings.list")
def meeting_list(user, group) -> bool:
    """A group's list of meetings: the same people as a meeting's page."""
    return group_member_area(user, group)


@rule("meetings.schedule")
def meeting_schedule(user, group) -> bool:
    """Schedule single meetings and series: the group's facilitators and organizers."""
    return signed_in(user) and group_selectors.runs_group(user, group)


@rule("meetings.manage")
def meeting_manage(user, meeting) -> bool:
    """Edit, move, cancel or complete a meeting: who runs its group."""
    return signed_in(user) and group_selectors.runs_group(user, meeting.group)


@rule("meetings.notes")
def meeting_notes(user, meeting) -> bool:
    """Facilitator notes: the group's own facilitators only (not organizers, not staff)."""
    return signed_in(user) and group_selectors.is_facilitator(user, meeting.group)


@rule("meetings.dashboard")
def meeting_dashboard(user, obj) -> bool:
    """The "my upcoming meetings" page: people who facilitate or organize any group."""
    return signed_in(user) and group_selectors.runs_any_group(user)


# --- Agendas, roles and the live view ---------------------------------
@rule("meetings.agenda_edit")
def meeting_agenda_edit(user, meeting) -> bool:
    """A meeting's agenda: the group's facilitators and organizers."""
    return signed_in(user) and group_selectors.runs_group(user, meeting.group)


@rule("meetings.agenda_templates")
def meeting_agenda_templates(user, group) -> bool:
    """A group's agenda templates: the group's facilitators and organizers."""
    return signed_in(user) and group_selectors.runs_group(user, group)


@rule("meetings.roles_assign")
def meeting_roles_assign(user, meeting) -> bool:
    """Who serves as timekeeper, note-taker...: the group's facilitators and organizers."""
    return signed_in(user) and group_selectors.runs_group(user, meeting.group)


@rule("meetings.roles_volunteer")
def meeting_roles_volunteer(user, group) -> bool:
    """Opting in to roles: members of the group, also while on a break (not suggested then)."""
    return signed_in(user) and group_selectors.takes_part(user, group)


def _holds_meeting_role(user, meeting, roles: set[str]) -> bool:
    """An active member of the group serving in one of `roles` at this meeting."""
    # Through `meeting.roles.all()`: the meeting page has its few roles prefetched, so this
    # costs no query there (elsewhere, one query for a handful of rows, as EXISTS did).
    return group_selectors.is_active_member(user, meeting.group) and any(
        r.role in roles and r.user_id == user.pk for r in meeting.roles.all()
    )


@rule("meetings.live")
def meeting_live(user, meeting) -> bool:
    """The live view's timers and agenda: who runs the group, and the meeting's timekeeper
    and note-taker while active members. What they see is only the timers and the agenda
    (`meetings.live_run` guards the rest)."""
    from sessions.models import MeetingRole

    if not signed_in(user):
        return False
    if group_selectors.runs_group(user, meeting.group):
        return True
    return _holds_meeting_role(
        user, meeting, {MeetingRole.Role.TIMEKEEPER, MeetingRole.Role.NOTE_TAKER}
    )


@rule("meetings.live_time")
def meeting_live_time(user, meeting) -> bool:
    """Starting the meeting and moving through the agenda: who runs it and the timekeeper."""
    from sessions.models import MeetingRole

    if not signed_in(user):
        return False
    if group_selectors.runs_group(user, meeting.group):
        return True
    return _holds_meeting_role(user, meeting, {MeetingRole.Role.TIMEKEEPER})


@rule("meetings.live_run")
def meeting_live_run(user, meeting) -> bool:
    """Check-in (attendance), who is on a break and the speaking order: who runs the group."""
    return signed_in(user) and group_selectors.runs_group(user, meeting.group)


# --- RSVP, attendance, calendar and community events --------------------------
@rule("meetings.rsvp")
def meeting_rsvp(user, meeting) -> bool:
    """Answering going / not going: people inside the group see the form; the RSVP service
    then accepts only active members with a current signature (and explains otherwise)."""
    return signed_in(user) and group_member_area(user, meeting.group)


@rule("meetings.rsvp_manage")
def meeting_rsvp_manage(user, meeting) -> bool:
    """Who is going and the waitlist: who runs the group."""
    return signed_in(user) and group_selectors.runs_group(user, meeting.group)


@rule("meetings.attendance")
def meeting_attendance(user, meeting) -> bool:
    """Taking attendance: who runs the group. Members never see others' attendance."""
    return signed_in(user) and group_selectors.runs_group(user, meeting.group)


@rule("meetings.events_manage")
def meeting_events_manage(user, organisation) -> bool:
    """Publishing and cancelling community events: the organisation's organizers."""
    return signed_in(user) and group_selectors.is_organizer(user, organisation)


# --- Disengagement and gentle check-ins ------------------------------
@rule("meetings.disengagement")
def meeting_disengagement(user, group) -> bool:
    """Who seems to have drifted away, and sending them a check-in: the group's own
    facilitators only. Organizers see aggregates across groups, never this list."""
    return signed_in(user) and group_selectors.is_facilitator(user, group)
