"""Disengagement list and gentle check-ins (issue 10, item 8): the group's facilitators only.

Organizers of the organisation are told "not allowed" (403): they run the group but this
list is for the people who sit in the room with the members. Everyone else gets 404.
"""

from tests.access import LOGIN, Row, expect

FACILITATORS = expect(404, anonymous=LOGIN, facilitator=200, organizer=403)


def _group(w):
    return [w.group.slug]


def _contacts(w):
    """The page shows display names, never email addresses."""
    return {w.users["member"].email: set(), w.users["on_break"].email: set()}


ROWS = [
    Row(
        "meetings:disengagement",
        FACILITATORS,
        args=_group,
        private=_contacts,
        note="facilitators of the group only; organizers 403",
    ),
    Row(
        "meetings:gentle_checkin",
        FACILITATORS,
        args=_group,
        method="post",
        data=lambda w: {"member": w.users["member"].pk, "message": "Thinking of you"},
        note="the member is not on the list: the page explains, nothing is sent",
    ),
]
