"""Dashboard screens and their CSV exports. Thin: filters in, report out."""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from feedback.dashboard import cache as dashboard_cache
from feedback.dashboard import csv as dashboard_csv
from feedback.dashboard.filters import PERIODS
from feedback.dashboard.protection import threshold
from feedback.dashboard.report import Dashboard, group_dashboard, organisation_dashboard
from feedback.dashboard.selectors import compared_question
from groups.loaders import organisation_or_404
from groups.models import Organisation
from groups.views.base import GroupPermissionMixin
from peersupport.audit import audit_record
from peersupport.permissions import PermissionMixin


class _Dashboard(PermissionMixin, TemplateView):
    """Shared by the group and organisation pages; subclasses say which groups count."""

    compare = False
    export = False

    def build(self) -> Dashboard:
        raise NotImplementedError

    def organisation(self) -> Organisation:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.dashboard = self.build()
        self.filters = self.dashboard.filters
        if self.export:
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    @property
    def report(self) -> dict:
        return self.dashboard.report

    def scope(self) -> str:
        return _("all selected groups")

    def export_csv(self) -> HttpResponse:
        rows = dashboard_csv.dashboard_rows(self.report, scope=self.scope())
        audit_record(
            actor=self.request.user,
            action="dashboard.export",
            organisation=self.organisation(),
            target_repr=self.export_label,
            details={"filters": self.filters.for_audit(), "rows": len(rows)},
        )
        response = HttpResponse(dashboard_csv.render(rows), content_type="text/csv; charset=utf-8")
        # No group or organisation name in the file name: downloads folders get synced.
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="dashboard-{day}.csv"'
        return response

    def report_context(self) -> dict:
        """What the filters form and the figures are drawn from: the cleaned filters and
        the report, nothing about the request or the viewer (so the HTML can be cached)."""
        return {
            "filters": self.filters,
            "form": self.dashboard.form,
            "problems": self.dashboard.problems,
            "periods": [(k, v[0]) for k, v in PERIODS.items()],
            "threshold": threshold(),
            "report": self.report,
            "charts": self.report["charts"],
            "compare": self.compare,
        }

    def report_html(self) -> str:
        # Drawing the filters, charts and tables was nearly all of a cached page's own
        # cost (about 30 ms of 40 for an organisation of 100 groups): the HTML is kept
        # next to its report, per ticked groups and filter messages as the form shows them.
        key = self.dashboard.cache_key
        if key is not None:
            shown = repr((self.filters.chosen_group_ids, self.dashboard.problems))
            key = f"{key}:html:{hashlib.sha256(shown.encode()).hexdigest()[:16]}"
        return dashboard_cache.cached(
            key, lambda: render_to_string("feedback/dashboard/_report.html", self.report_context())
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET.urlencode()
        return super().get_context_data(
            filters=self.filters,
            form=self.dashboard.form,
            problems=self.dashboard.problems,
            # Read only if something asks: the page itself shows report_html.
            report=SimpleLazyObject(lambda: self.report),
            report_html=self.report_html(),
            query=query,
            compare=self.compare,
            **kwargs,
        )


class GroupDashboardView(GroupPermissionMixin, _Dashboard):
    permission = "feedback.dashboard_group"
    template_name = "feedback/dashboard/group_dashboard.html"
    export_label = "group dashboard"

    def build(self) -> Dashboard:
        return group_dashboard(self.group, self.request.GET)

    def organisation(self) -> Organisation:
        return self.group.organisation

    def scope(self) -> str:
        return self.group.name

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)


class GroupDashboardCsvView(GroupDashboardView):
    export = True


class OrganisationDashboardView(_Dashboard):
    permission = "feedback.dashboard_organisation"
    template_name = "feedback/dashboard/organisation_dashboard.html"
    export_label = "organisation dashboard"
    compare = True

    def get_permission_object(self):
        self.org = organisation_or_404(self.kwargs["slug"])
        return self.org

    def build(self) -> Dashboard:
        return organisation_dashboard(self.org, self.request.GET)

    def organisation(self) -> Organisation:
        return self.org

    def report_context(self) -> dict:
        chosen = set(self.filters.chosen_group_ids)
        return super().report_context() | {
            "group_choices": [(g, g.pk in chosen) for g in self.dashboard.groups],
            "compared_question": compared_question(self.report["questions"])["text"],
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.org, **kwargs)


class OrganisationDashboardCsvView(OrganisationDashboardView):
    export = True
