"""Find a meeting's or event's rows for a view, or answer 404.

Like `groups.loaders` (whose `group_or_404` and `organisation_or_404` meeting views use
too): given `user` and `perm` a loader also checks that rule, and outsiders get 404 so a
guessed id never reveals that a private meeting exists.
"""

from __future__ import annotations

from groups.loaders import found_or_404
from sessions import selectors
from sessions.models import CommunityEvent, Meeting
from sessions.selectors import rsvp as selectors_rsvp


def meeting_or_404(pk: int, *, user=None, perm: str = "") -> Meeting:
    """A meeting with its group, for views that act on it."""
    meeting = Meeting.objects.select_related("group").filter(pk=pk).first()
    return found_or_404(meeting, user=user, perm=perm)


def meeting_page_or_404(pk: int, *, user=None, perm: str = "") -> Meeting:
    """A meeting with everything its page shows (agenda, roles), in fixed queries."""
    return found_or_404(selectors.meeting_for_page(pk), user=user, perm=perm)


def meeting_for_reader_or_404(pk: int) -> Meeting:
    """A meeting with its group, for the meeting page's per-reader parts (see
    `selectors.meeting_for_reader`); the permission check is the view's."""
    return found_or_404(selectors.meeting_for_reader(pk))


def event_or_404(pk: int) -> CommunityEvent:
    """A community event with its organisation and the count of people going."""
    return found_or_404(selectors_rsvp.event_for_page(pk))
