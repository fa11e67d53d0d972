"""Dashboard screens and their CSV exports. Thin: filters in, report out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from feedback.dashboard import attention as dashboard_attention
from feedback.dashboard import cache as dashboard_cache
from feedback.dashboard import csv as dashboard_csv
from feedback.dashboard.filters import FILTER_PARAMETERS, PERIODS
from feedback.dashboard.protection import threshold
from feedback.dashboard.report import Dashboard, group_dashboard, organisation_dashboard
from feedback.dashboard.selectors import compared_question
from groups.loaders import organisation_key, organisation_or_404
from groups.models import Organisation
from groups.views.base import GroupPermissionMixin
from peersupport import cache as shared
from peersupport.audit import audit_record
from peersupport.permissions import PermissionMixin, has_perm

# Where the drawn content goes in the page around it (`DrawnPageResponse`). A comment no
# value of a page can produce: everything a template shows is escaped.
CONTENT_MARK = "<!-- the dashboard, drawn -->"


class DrawnPageResponse(TemplateResponse):
    """A page whose content comes drawn, as UTF-8 bytes (`drawn`): the page around it is
    rendered with CONTENT_MARK where the content goes, and the bytes take its place. 150 kB
    of drawn HTML is then neither decoded from the cache nor encoded again per request,
    which cost more than all the rest the view does. Without `drawn`, a TemplateResponse."""

    def __init__(self, *args, drawn: bytes | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.drawn = drawn

    @property
    def rendered_content(self):
        page = super().rendered_content
        if self.drawn is None:
            return page
        before, mark, after = page.partition(CONTENT_MARK)
        if not mark:
            raise ValueError(f"{self.template_name} has no place for the drawn content")
        return b"".join((before.encode(self.charset), self.drawn, after.encode(self.charset)))


class _Dashboard(PermissionMixin, TemplateView):
    """Shared by the group and organisation pages; subclasses say which groups count."""

    compare = False
    export = False
    template_name = "feedback/dashboard/page.html"
    response_class = DrawnPageResponse
    # The template drawn into the page (`drawn_page`).
    content_template = ""

    @property
    def draws_page(self) -> bool:
        """This view shows the drawn page (not an export or the printable report)."""
        return not self.export and self.template_name == _Dashboard.template_name

    def build(self) -> Dashboard:
        raise NotImplementedError

    def organisation(self) -> Organisation:
        raise NotImplementedError

    def render_to_response(self, context, **response_kwargs):
        if self.draws_page:
            response_kwargs["drawn"] = self.drawn_content
        return super().render_to_response(context, **response_kwargs)

    def get(self, request, *args, **kwargs):
        if self.export:
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    @cached_property
    def dashboard(self) -> Dashboard:
        """The cleaned filters and the report (read only when the page is drawn, for the
        exports and the printable report: a page served drawn needs neither)."""
        return self.build()

    @property
    def filters(self):
        return self.dashboard.filters

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

    def page_key(self, facilitates: bool) -> str:
        """What the drawn page depends on besides its rows: the dashboard (`whose`), the
        query string as sent (the links repeat it), the reader's language, time zone and
        day (the default period ends today), the small-number threshold and whether the
        reader facilitates the group (the only thing about the viewer the page shows)."""
        known = self.__dict__.setdefault("_page_keys", {})
        if facilitates in known:
            return known[facilitates]
        parts = [
            self.request.META.get("QUERY_STRING", ""),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
            str(threshold()),
            str(int(facilitates)),
        ]
        digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
        known[facilitates] = f"dashboard-page:{self.whose()}:{digest}"
        return known[facilitates]

    def whose(self) -> str:
        raise NotImplementedError

    def page_scopes(self) -> list[str]:
        """The scopes of the rows the drawn page shows (see `drawn_page`)."""
        raise NotImplementedError

    def drawn_page(self, facilitates: bool) -> dict:
        """The page's title and content, drawn once and kept until a row behind them
        changes: the same for every reader with the same language, zone, day and query
        string (and `facilitates`), so a warm request cleans no filter and draws nothing.

        Kept only for a query string the filters take as it is (known parameters, each
        once, no group twice, nothing refused): made-up parameters or values are drawn
        per request from the parts cached per cleaned filters (`report_part`), so they
        cannot fill the cache."""
        seconds = settings.DASHBOARD_CACHE_SECONDS

        def draw() -> dict:
            return {
                "scopes": self.page_scopes(),
                "title": self.title(),
                "print_css": static("css/print.css"),
                "content": render_to_string(
                    self.content_template, self.content_context(facilitates)
                ).encode(),
                "keep": self.query_taken_as_is(),
            }

        if not seconds:
            return draw()
        page = shared.fetch_versioned(
            self.page_key(facilitates),
            (),
            draw,
            more=lambda page: page["scopes"],
            expires=lambda page: seconds if page["keep"] else 0,
            seconds=seconds,
        )[0]
        # Keyed by the URL's slug: a copy drawn for a row that slug named before is not this one.
        return page if page["scopes"] == self.page_scopes() else draw()

    def query_taken_as_is(self) -> bool:
        params = self.request.GET
        if self.dashboard.problems or not set(params) <= FILTER_PARAMETERS:
            return False
        groups = params.getlist("group")
        once = all(len(params.getlist(name)) == 1 for name in params if name != "group")
        return once and len(groups) == len(set(groups)) == len(self.filters.chosen_group_ids)

    def title(self) -> str:
        raise NotImplementedError

    def content_context(self, facilitates: bool) -> dict:
        # The page's three drawn parts come in one round trip to the cache.
        report_top, report_html, attention_html = dashboard_cache.cached_many(
            [
                self.report_part("_report_top"),
                self.report_part("_report"),
                self.attention_part(facilitates),
            ]
        )
        return {
            "report_top": report_top,
            "report_html": report_html,
            "attention_html": attention_html,
            "rules": {
                "attendance": dashboard_attention.ATTENDANCE_DROP,
                "heard": dashboard_attention.HEARD_DROP,
            },
            "query": self.request.GET.urlencode(),
        }

    def get_context_data(self, **kwargs):
        page = self.drawn_page(kwargs.get("facilitates", False))
        self.drawn_content = page["content"]
        return super().get_context_data(
            # A constant marker: the response puts the drawn bytes in its place.
            page={**page, "content": mark_safe(CONTENT_MARK)},  # noqa: S308 # nosec B308 B703
            # Read only if something asks (tests): the page itself shows what was drawn.
            filters=SimpleLazyObject(lambda: self.filters),
            report=SimpleLazyObject(lambda: self.report),
            attention=SimpleLazyObject(self.attention),
            compare=self.compare,
            **kwargs,
        )


class GroupDashboardView(GroupPermissionMixin, _Dashboard):
    permission = "feedback.dashboard_group"
    content_template = "feedback/dashboard/group_dashboard.html"
    export_label = "group dashboard"

    def build(self) -> Dashboard:
        return group_dashboard(self.group, self.request.GET)

    def organisation(self) -> Organisation:
        return self.group.organisation

    def scope(self) -> str:
        return self.group.name

    def whose(self) -> str:
        return f"group:{self.group.pk}"

    def page_scopes(self) -> list[str]:
        # A group's name and slug are rows of its organisation's dashboard too.
        return [f"dashboard:{self.group.organisation_id}", f"group:{self.group.pk}"]

    def title(self) -> str:
        return _("Dashboard: %(name)s") % {"name": self.group.name}

    def content_context(self, facilitates: bool) -> dict:
        return super().content_context(facilitates) | {"group": self.group}

    def get_context_data(self, **kwargs):
        # Read per viewer, outside the cached parts: whether the attention list may link
        # to the group's list of members who stopped coming (its facilitators only).
        facilitates = has_perm(self.request.user, "meetings.disengagement", self.group)
        return super().get_context_data(group=self.group, facilitates=facilitates, **kwargs)


class GroupDashboardCsvView(GroupDashboardView):
    export = True


class OrganisationDashboardView(_Dashboard):
    permission = "feedback.dashboard_organisation"
    content_template = "feedback/dashboard/organisation_dashboard.html"
    export_label = "organisation dashboard"
    compare = True

    def get_permission_object(self):
        slug = self.kwargs["slug"]
        if self.draws_page:
            # The organisation, the drawn page and their tokens in one round trip.
            shared.read_ahead([organisation_key(slug), self.page_key(False)], ())
        self.org = organisation_or_404(slug)
        return self.org

    def build(self) -> Dashboard:
        return organisation_dashboard(self.org, self.request.GET)

    def organisation(self) -> Organisation:
        return self.org

    def whose(self) -> str:
        return f"org-slug:{self.kwargs['slug']}"

    def page_scopes(self) -> list[str]:
        return [f"dashboard:{self.org.pk}", f"org:{self.org.pk}"]

    def title(self) -> str:
        return _("Dashboard: %(name)s") % {"name": self.org.name}

    def content_context(self, facilitates: bool) -> dict:
        return super().content_context(facilitates) | {"organisation": self.org}

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
