"""Meeting finders: the public feeds, the embeddable finder, and the organizer's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import TemplateView

from finders import export, feed, selectors, services
from finders.forms import FeedSourceForm
from finders.models import FeedSource
from groups.loaders import get_or_404, organisation_or_404
from groups.views.base import OrganisationActionView, OrganisationPermissionMixin
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin

# The embedded finder may be framed by partners' sites; nothing else of ours may be.
EMBED_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors {ancestors}"
)


class FeedView(PermissionMixin, View):
    """Every organisation's opted-in groups, in the Meeting Guide format."""

    permission = "public"

    def get(self, request):
        return feed.feed_response(request)


class OrganisationFeedView(PermissionMixin, View):
    """One organisation's opted-in groups (empty until the organisation opts in)."""

    permission = "public"

    def get(self, request, slug):
        return feed.feed_response(request, organisation_or_404(slug))


@method_decorator(xframe_options_exempt, name="dispatch")
class EmbedView(PermissionMixin, View):
    """The finder partners put in a frame: the groups the feed lists, each linking to its
    landing page. Rendered without the request, so no cookie, session or CSRF token is
    involved, and with the same records as the feed, so the same privacy rules."""

    permission = "public"

    def get(self, request, slug):
        organisation = organisation_or_404(slug)
        records = feed.feed_entry(organisation)["body"]
        body = render_to_string(
            "finders/embed.html",
            {
                "organisation": organisation,
                "groups": export.embed_rows(records),
                "directory_url": f"{settings.SITE_URL}{reverse('groups:directory')}",
            },
        )
        response = HttpResponse(body)
        ancestors = settings.FINDER_FRAME_ANCESTORS
        response["Content-Security-Policy"] = EMBED_POLICY.format(ancestors=ancestors)
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
        return response


class ManageView(OrganisationPermissionMixin, TemplateView):
    """For organizers: publishing in meeting finders, the embed snippet, feeds read."""

    template_name = "finders/manage.html"

    def get_context_data(self, **kwargs):
        organisation = self.get_organisation()
        kwargs.setdefault("form", FeedSourceForm())
        base = settings.SITE_URL
        kwargs.update(
            listed=export.listed_in_feed(organisation),
            sources=selectors.sources_of(organisation),
            feed_url=base + reverse("finders:organisation_feed", args=[organisation.slug]),
            embed_url=base + reverse("finders:embed", args=[organisation.slug]),
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = FeedSourceForm(request.POST)
        if form.is_valid():
            try:
                source = services.source_add(
                    organisation=self.get_organisation(),
                    name=form.cleaned_data["name"],
                    url=form.cleaned_data["url"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error("url", error.message)
            else:
                messages.success(
                    request, _("%(name)s's feed will be read in a moment.") % {"name": source.name}
                )
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


class SourceRemoveView(OrganisationActionView):
    def act(self, form):
        sources = FeedSource.objects.filter(organisation=self.get_organisation())
        source = get_or_404(sources, pk=self.kwargs["pk"])
        services.source_remove(source=source)
        return _("%(name)s's groups are no longer shown.") % {"name": source.name}

    def get_success_url(self) -> str:
        return reverse("finders:manage", args=[self.get_organisation().slug])
