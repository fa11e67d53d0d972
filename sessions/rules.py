"""Permission rules for meetings (registered in peersupport.permissions)."""

from groups import selectors as group_selectors
from groups.rules import group_member_area
from groups.selectors import is_facilitator, runs_group, takes_part
from peersupport.permissions import rule, signed_in, signed_in_rules

# Rules on a group: signed in, and the role named, in that group.
signed_in_rules(
    {
        # A group's list of meetings: the same people as a meeting's page.
        "meetings.list": group_member_area,
        # Schedule single meetings and series: the group's facilitators and organizers.
        "meetings.schedule": runs_group,
        # A group's agenda templates: the group's facilitators and organizers.
        "meetings.agenda_templates": runs_group,
        # Opting in to roles: members of the group, also while on a break (not suggested).
        "meetings.roles_volunteer": takes_part,
        # Who seems to have drifted away, and sending them a check-in: the group's own
        # facilitators only. Organizers see aggregates across groups, never this list.
        "meetings.disengagement": is_facilitator,
    }
)

# Rules on a meeting: signed in, and the role named, in the meeting's group.
signed_in_rules(
    {
        # A meeting's page: people inside its group (member area) and who runs the group.
        "meetings.view": group_member_area,
        # Edit, move, cancel or complete a meeting: who runs its group.
        "meetings.manage": runs_group,
        # Facilitator notes: the group's own facilitators only (not organizers, not staff).
        "meetings.notes": is_facilitator,
        # A meeting's agenda: the group's facilitators and organizers.
        "meetings.agenda_edit": runs_group,
        # Who serves as timekeeper, note-taker...: the group's facilitators and organizers.
        "meetings.roles_assign": runs_group,
        # Check-in (attendance), who is on a break and the speaking order: who runs it.
        "meetings.live_run": runs_group,
        # Answering going / not going: people inside the group see the form; the RSVP
        # service then accepts only active members with a current signature (and
        # explains otherwise).
        "meetings.rsvp": group_member_area,
        # Who is going and the waitlist: who runs the group.
        "meetings.rsvp_manage": runs_group,
        # The access needs members note when they RSVP: the group's facilitators only.
        "meetings.rsvp_access_needs": is_facilitator,
        # Taking attendance: who runs the group. Members never see others' attendance.
        "meetings.attendance": runs_group,
    },
    through="group",
)


@rule("meetings.dashboard")
def meeting_dashboard(user, obj) -> bool:
    """The "my upcoming meetings" page: people who facilitate or organize any group."""
    return signed_in(user) and group_selectors.runs_any_group(user)


# --- The live view -----------------------------------------------------------
def _runs_or_serves(user, meeting, roles: set[str]) -> bool:
    """Who runs the group, or an active member of it serving in one of `roles` here."""
    if not signed_in(user):
        return False
    if group_selectors.runs_group(user, meeting.group):
        return True
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

    return _runs_or_serves(
        user, meeting, {MeetingRole.Role.TIMEKEEPER, MeetingRole.Role.NOTE_TAKER}
    )


@rule("meetings.live_time")
def meeting_live_time(user, meeting) -> bool:
    """Starting the meeting and moving through the agenda: who runs it and the timekeeper."""
    from sessions.models import MeetingRole

    return _runs_or_serves(user, meeting, {MeetingRole.Role.TIMEKEEPER})


# --- Community events ---------------------------------------------------------
@rule("meetings.events_manage")
def meeting_events_manage(user, organisation) -> bool:
    """Publishing and cancelling community events: the organisation's organizers."""
    return signed_in(user) and group_selectors.is_organizer(user, organisation)
