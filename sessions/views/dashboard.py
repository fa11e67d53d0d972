"""The facilitator dashboard: "My upcoming meetings" across every group a person runs."""

from __future__ import annotations

from django.views.generic import TemplateView

from peersupport.permissions import PermissionMixin
from sessions import selectors, selectors_rsvp


class FacilitatorDashboardView(PermissionMixin, TemplateView):
    permission = "meetings.dashboard"
    template_name = "meetings/facilitator_dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=selectors_rsvp.rsvp_counts_attach(
                selectors.facilitator_upcoming_meetings(self.request.user)
            ),
            limit=selectors.DASHBOARD_LIMIT,
            **kwargs,
        )
