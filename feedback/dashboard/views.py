"""Dashboard screens and their CSV exports. Thin: filters in, report out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from feedback.dashboard import attention as dashboard_attention
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
from peersupport.permissions import PermissionMixin, has_perm


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

    def report_part(self, part: str) -> tuple[str | None, Callable[[], str]]:
        """Where a drawn part of the report is kept, and how to draw it.

        Drawing the filters, charts and tables was nearly all of a cached page's own cost
        (about 30 ms of 40 for an organisation of 100 groups): the HTML is kept next to its
        report, per ticked groups and filter messages as the form shows them. Two parts:
        above and below what needs attention."""
        key = self.dashboard.cache_key
        if key is not None:
            shown = repr((self.filters.chosen_group_ids, self.dashboard.problems))
            key = f"{key}:{part}:{hashlib.sha256(shown.encode()).hexdigest()[:16]}"
        return key, lambda: render_to_string(
            f"feedback/dashboard/{part}.html", self.report_context()
        )

    def attention(self) -> dict:
        """What needs attention: the unit rules from the report, and waiting work
        (concerns, support requests, signatures, facilitators), kept under the same
        organisation token (peersupport/cache_scopes.py renews it when such work changes)."""
        key = self.dashboard.cache_key

        def build() -> dict:
            groups = self.filters.groups
            return dashboard_attention.attention(
                self.report["attention_units"],
                dashboard_attention.live_rules([g.pk for g in groups]),
                groups,
                organizer=self.compare,
                organisation_slug=self.organisation().slug,
            )

        return dashboard_cache.cached(key and f"{key}:attention", build)

    def attention_part(self, facilitates: bool) -> tuple[str | None, Callable[[], str]]:
        """What needs attention, drawn. The same for every viewer but for `facilitates`
        (whether a group's facilitators' own links show), so it is kept drawn, under the
        same tokens as the list, per that flag."""
        key = self.dashboard.cache_key
        if key is not None:
            key = f"{key}:attention-html:{int(self.compare)}:{int(facilitates)}"
        return key, lambda: render_to_string(
            "feedback/dashboard/_attention.html",
            {"attention": self.attention(), "compare": self.compare, "facilitates": facilitates},
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET.urlencode()
        # The page's three drawn parts come in one round trip to the cache.
        report_top, report_html, attention_html = dashboard_cache.cached_many(
            [
                self.report_part("_report_top"),
                self.report_part("_report"),
                self.attention_part(kwargs.get("facilitates", False)),
            ]
        )
        return super().get_context_data(
            filters=self.filters,
            form=self.dashboard.form,
            problems=self.dashboard.problems,
            # Read only if something asks: the page itself shows report_html.
            report=SimpleLazyObject(lambda: self.report),
            report_top=report_top,
            report_html=report_html,
            # Read only if something asks (tests); the page shows attention_html.
            attention=SimpleLazyObject(self.attention),
            attention_html=attention_html,
            rules={
                "attendance": dashboard_attention.ATTENDANCE_DROP,
                "heard": dashboard_attention.HEARD_DROP,
            },
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
        # Read per viewer, outside the cached parts: whether the attention list may link
        # to the group's list of members who stopped coming (its facilitators only).
        facilitates = has_perm(self.request.user, "meetings.disengagement", self.group)
        return super().get_context_data(group=self.group, facilitates=facilitates, **kwargs)


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


SECTIONS = [
    ("groups", gettext_lazy("Groups side by side")),
    ("participation", gettext_lazy("Participation")),
    ("perception", gettext_lazy("How members feel about the meetings")),
    ("goals", gettext_lazy("Goals")),
]


class _PrintReport:
    """A page to print (or save as PDF) and send to funders and boards: the organisation's
    name, the period, the small-number note, the headline and the sections chosen, all
    unfolded. The same guarded report as the dashboard; nothing about waiting work."""

    template_name = "feedback/dashboard/print_report.html"
    dashboard_url = ""

    def get_context_data(self, **kwargs):
        known = {value for value, _label in SECTIONS}
        asked = [s for s in self.request.GET.getlist("section") if s in known]
        sections = asked or [value for value, _label in SECTIONS]
        params = [(k, v) for k, v in self.request.GET.lists() if k != "section"]
        query = urlencode([(k, v) for k, values in params for v in values])
        back = reverse(self.dashboard_url, args=[self.kwargs["slug"]])
        return {
            **self.report_context(),
            "view": self,
            "organisation": self.organisation(),
            "sections": sections,
            "section_choices": [(v, label, v in sections) for v, label in SECTIONS],
            "params": [(k, v) for k, values in params for v in values],
            "today": timezone.localdate(),
            "back": f"{back}?{query}" if query else back,
            **kwargs,
        }


class GroupDashboardReportView(_PrintReport, GroupDashboardView):
    dashboard_url = "feedback:group_dashboard"

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)


class OrganisationDashboardReportView(_PrintReport, OrganisationDashboardView):
    dashboard_url = "feedback:org_dashboard"
