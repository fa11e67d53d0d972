"""sessions.views: one module per area, sharing the object loaders below.

Loaders only find the row; each view's permission rule then decides, and outsiders get
404 either way (never reveal that a private meeting exists).
"""

from __future__ import annotations

from django.http import Http404

from groups.models import PeerGroup
from sessions import selectors
from sessions.models import Meeting


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def meeting_or_404(pk: int) -> Meeting:
    """A meeting with its group, for views that act on it."""
    meeting = Meeting.objects.select_related("group").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def meeting_page_or_404(pk: int) -> Meeting:
    """A meeting with everything its page shows (agenda, roles), in fixed queries."""
    meeting = selectors.meeting_for_page(pk)
    if meeting is None:
        raise Http404
    return meeting


def group_or_404(slug: str) -> PeerGroup:
    group = PeerGroup.objects.select_related("organisation").filter(slug=slug).first()
    if group is None:
        raise Http404
    return group
