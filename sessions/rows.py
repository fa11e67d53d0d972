"""What renews the row cache's scopes (`peersupport.rowcache`) when meetings' rows change.

"meeting:<id>": the meeting, its agenda items and its roles (the meeting page's rows;
agenda changes also renew it from `services.agenda._bump`, as they write in bulk).
"org-meetings:<id>": any meeting of the organisation's groups, with its agenda and roles
(the facilitator dashboard's list).
A series' details show on each of its meetings, so a changed series renews "groups".
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from peersupport import rowcache
from peersupport.rowcache import renewer


def meeting_scopes(meeting_id: int, organisation_id: int | None) -> list[str]:
    scopes = [f"meeting:{meeting_id}"]
    if organisation_id is not None:
        scopes.append(f"org-meetings:{organisation_id}")
    return scopes


def _meeting(instance) -> list[str]:
    try:
        organisation = instance.group.organisation_id
    except ObjectDoesNotExist:  # deleted with its group, which renews "groups" itself
        organisation = None
    return meeting_scopes(instance.pk, organisation)


def _of_meeting(instance) -> list[str]:
    from sessions.models import Meeting

    organisation = (
        Meeting.objects.filter(pk=instance.meeting_id)
        .values_list("group__organisation_id", flat=True)
        .first()
    )
    return meeting_scopes(instance.meeting_id, organisation)


def _every_meeting(instance) -> list[str]:
    return ["groups"]


def connect() -> None:
    """Called from the app's ready(), so web servers, workers and commands all renew."""
    from sessions.models import AgendaItem, Meeting, MeetingRole, MeetingSeries

    rowcache.on_save_and_delete(
        "rows",
        [
            (Meeting, renewer(_meeting)),
            (AgendaItem, renewer(_of_meeting)),
            (MeetingRole, renewer(_of_meeting)),
            (MeetingSeries, renewer(_every_meeting)),
        ],
    )
