"""The facilitator dashboard: "My upcoming meetings" across every group a person runs."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.generic import TemplateView

from groups import selectors as group_selectors
from peersupport import cache
from peersupport.fragments import render_each
from peersupport.permissions import PermissionMixin
from sessions import selectors

ROW = "meetings/fragments/dashboard_row.html"
CONTENT = "meetings/fragments/facilitator_dashboard_content.html"
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
        page = page_number(self.request.GET.get("page"))
        if page == 1:
            return super().get_context_data(content=first_page(self.request.user), **kwargs)
        rows, more = rendered_page(self.request.user, page)
        return super().get_context_data(**page_context(rows, page, more), **kwargs)


def page_context(rows: list, page: int, more: bool) -> dict:
    return {
        "rows": rows,
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if more else None,
    }


def rendered_page(user, page: int) -> tuple[list, bool]:
    """The page's table rows, rendered, and whether a later page exists."""
    size = selectors.DASHBOARD_PAGE_SIZE
    # One row more than a page says whether a later page exists, without a count.
    found = selectors.facilitator_upcoming_meetings(user, limit=size + 1, offset=(page - 1) * size)
    return _rows(found)


def _rows(found: list) -> tuple[list, bool]:
    size = selectors.DASHBOARD_PAGE_SIZE
    rows = render_each(ROW, found[:size], name="meeting", values=row_values)
    return rows, len(found) > size


def first_page(user) -> str:
    """The first page, the one people open: what it shows (its rows, the links to the
    next page and to each group's members to check in with) is drawn for its one reader
    and kept under the same scopes as its meetings and the person's memberships, per
    language and zone, until its first meeting ends. Drawing it is most of this page's
    cost; the permission rule still runs on every request."""
    size = selectors.DASHBOARD_PAGE_SIZE

    def build() -> dict:
        found = selectors.facilitator_upcoming_meetings(user, limit=size + 1)
        rows, more = _rows(found)
        context = {
            **page_context(rows, 1, more),
            "my_memberships": group_selectors.current_memberships_of(user),
        }
        return {
            "content": render_to_string(CONTENT, context),
            "expires_in": selectors.until_first_ends(found),
        }

    zone = timezone.get_current_timezone_name()
    entry = cache.fetch(
        f"dashboard-page:{user.pk}:{translation.get_language()}:{zone}",
        selectors.dashboard_scopes(user),
        build,
        expires=lambda value: value["expires_in"],
    )
    return entry["content"]
