"""sessions.views: one module per area.

Views find their rows with `sessions.loaders` and `groups.loaders`, through the mixins
below and `groups.views.base` (group and organisation); POST-only actions share
`peersupport.actions.ActionView`.
"""

from __future__ import annotations

from peersupport.permissions import PermissionMixin
from sessions.loaders import meeting_or_404, meeting_page_or_404


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


class MeetingPermissionMixin(PermissionMixin):
    """The meeting in the URL (with its group) is what the rule is checked against."""

    def get_permission_object(self):
        self.meeting = meeting_or_404(self.kwargs["pk"])
        return self.meeting


class MeetingPagePermissionMixin(PermissionMixin):
    """Like MeetingPermissionMixin, with everything the meeting's page shows."""

    def get_permission_object(self):
        self.meeting = meeting_page_or_404(self.kwargs["pk"])
        return self.meeting
