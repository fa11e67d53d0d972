"""The facilitator dashboard: "My upcoming meetings" across every group a person runs."""

from __future__ import annotations

from django.views.generic import TemplateView

from peersupport.fragments import render_each
from peersupport.permissions import PermissionMixin
from sessions import selectors

ROW = "meetings/fragments/dashboard_row.html"
MAX_PAGE = 500  # far beyond any real calendar; keeps the offset query cheap


def page_number(raw: str | None) -> int:
    """?page=N as a number from 1; anything else (missing, text, 0, huge) is page 1."""
    if raw and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


def row_values(meeting) -> tuple:
    """Everything a dashboard row shows (peersupport.fragments renders each once)."""
    return (
        meeting.pk,
        meeting.starts_at.isoformat(),
        meeting.ends_at.isoformat(),
        meeting.topic,
        meeting.group.slug,
        meeting.group.name,
        meeting.duration_minutes,
        meeting.agenda_count,
        meeting.agenda_minutes,
        ",".join(meeting.unfilled_role_values),  # the labels follow from these and the language
        meeting.rsvp_going,
        meeting.rsvp_waiting,
    )


class FacilitatorDashboardView(PermissionMixin, TemplateView):
    permission = "meetings.dashboard"
    template_name = "meetings/facilitator_dashboard.html"

    def get_context_data(self, **kwargs):
        size = selectors.DASHBOARD_PAGE_SIZE
        page = page_number(self.request.GET.get("page"))
        # One row more than a page says whether a later page exists, without a count.
        found = selectors.facilitator_upcoming_meetings(
            self.request.user, limit=size + 1, offset=(page - 1) * size
        )
        meetings = found[:size]
        return super().get_context_data(
            meetings=meetings,
            rows=render_each(ROW, meetings, name="meeting", values=row_values),
            page=page,
            previous_page=page - 1 if page > 1 else None,
            next_page=page + 1 if len(found) > size else None,
            **kwargs,
        )
