"""What renews the row cache's scopes (`peersupport.rowcache`) when meetings' rows change.

"meeting:<id>": the meeting, its agenda items and its roles (the meeting page's rows;
agenda changes also renew it from `services.agenda._bump`, as they write in bulk).
"org-meetings:<id>": any meeting of the organisation's groups, with its agenda, roles and
RSVPs (the facilitator dashboard's list and its counts).
"meeting-rsvps:<id>": any RSVP of the meeting (each person's RSVP panel on its page).
A series' details show on each of its meetings, so a changed series renews "groups".
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from groups.rows import organisation_of_group_row, organisation_via
from peersupport import rowcache
from peersupport.rowcache import renewer


def meeting_scopes(meeting_id: int, organisation_id: int | None) -> list[str]:
    scopes = [f"meeting:{meeting_id}"]
    if organisation_id is not None:
        scopes.append(f"org-meetings:{organisation_id}")
    return scopes


def _meeting(instance) -> list[str]:
    try:
        organisation = organisation_of_group_row(instance)
    except ObjectDoesNotExist:  # deleted with its group, which renews "groups" itself
        organisation = None
    return meeting_scopes(instance.pk, organisation)


_organisation_of_meeting = organisation_via("meeting")


def _of_meeting(instance) -> list[str]:
    return meeting_scopes(instance.meeting_id, _organisation_of_meeting(instance))


def _rsvp(instance) -> list[str]:
    # The meeting page's seat counts and waitlist places, and the dashboard's counts.
    scopes = [f"meeting-rsvps:{instance.meeting_id}"]
    organisation = _organisation_of_meeting(instance)
    if organisation is not None:
        scopes.append(f"org-meetings:{organisation}")
    return scopes


def _every_meeting(instance) -> list[str]:
    return ["groups"]


def connect() -> None:
    """Called from the app's ready(), so web servers, workers and commands all renew."""
    from sessions.models import AgendaItem, Meeting, MeetingRole, MeetingSeries, Rsvp

    rowcache.on_save_and_delete(
        "rows",
        [
            (Meeting, renewer(_meeting)),
            (AgendaItem, renewer(_of_meeting)),
            (MeetingRole, renewer(_of_meeting)),
            (MeetingSeries, renewer(_every_meeting)),
            (Rsvp, renewer(_rsvp)),
        ],
    )
